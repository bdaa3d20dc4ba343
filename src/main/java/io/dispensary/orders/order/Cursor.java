package io.dispensary.orders.order;

import io.dispensary.orders.common.problem.ApiProblem;
import io.dispensary.orders.common.problem.Problem;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An opaque listing cursor: the (createdAt, id) of the last order of the previous page, sealed with AES-GCM.
 *
 * <p>Sealed, not only signed: the id comes from one sequence shared by every dispensary, so a readable cursor
 * let a storefront count the orders other dispensaries created between two of its own pages (an outside
 * security test did, from the HMAC-signed v2 cursors). The authentication tag still means a client can only pass
 * back a position the service gave out (an edited one could name a time the database cannot store, and would
 * answer 500). A random nonce per cursor makes two cursors of the same position differ too.
 */
record Cursor(Instant createdAt, long id) {

    /** The first byte of every token; v2 was the readable signed form, refused since. */
    private static final byte VERSION = 3;

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Seconds, nanos, id. */
    private static final int POSITION_BYTES = Long.BYTES + Integer.BYTES + Long.BYTES;

    private static final int TOKEN_BYTES = 1 + NONCE_BYTES + POSITION_BYTES + TAG_BITS / 8;
    private static final SecureRandom NONCES = new SecureRandom();

    static Cursor of(CustomerOrder order) {
        return new Cursor(order.createdAt, order.id);
    }

    /**
     * {@code base64url(version, nonce, AES-GCM(position) with its tag)}, the version authenticated too. At most
     * one cursor per listed page: random 96-bit nonces stay far from a collision for as many as any key issues.
     */
    String encode(byte[] key) {
        byte[] nonce = new byte[NONCE_BYTES];
        NONCES.nextBytes(nonce);
        byte[] position = ByteBuffer.allocate(POSITION_BYTES)
                .putLong(createdAt.getEpochSecond())
                .putInt(createdAt.getNano())
                .putLong(id)
                .array();
        byte[] sealed = cipher(Cipher.ENCRYPT_MODE, key, nonce).doFinalOrFail(position);
        byte[] token = ByteBuffer.allocate(TOKEN_BYTES)
                .put(VERSION)
                .put(nonce)
                .put(sealed)
                .array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /** Opens a cursor this service gave out; anything else (edited, foreign, of an older format) is a 400. */
    static Cursor decode(String cursor, byte[] key) {
        try {
            byte[] token = Base64.getUrlDecoder().decode(cursor);
            if (token.length != TOKEN_BYTES || token[0] != VERSION) {
                throw new IllegalArgumentException("not a cursor of this format");
            }
            ByteBuffer read = ByteBuffer.wrap(token);
            read.get();
            byte[] nonce = new byte[NONCE_BYTES];
            read.get(nonce);
            byte[] sealed = new byte[read.remaining()];
            read.get(sealed);
            ByteBuffer position =
                    ByteBuffer.wrap(cipher(Cipher.DECRYPT_MODE, key, nonce).doFinalOrFail(sealed));
            long seconds = position.getLong();
            int nanos = position.getInt();
            long id = position.getLong();
            if (id < 0 || nanos < 0 || nanos > 999_999_999) {
                throw new IllegalArgumentException("out of range");
            }
            Instant createdAt = Instant.ofEpochSecond(seconds, nanos);
            // Orders are stored within these; a cursor outside them was not given out, and would fail in SQL.
            if (createdAt.isBefore(OrderQuery.EARLIEST) || createdAt.isAfter(OrderQuery.LATEST)) {
                throw new IllegalArgumentException("out of range");
            }
            return new Cursor(createdAt, id);
        } catch (RuntimeException e) {
            throw ApiProblem.validation(List.of(
                    new Problem.Violation("cursor", "is not a cursor this service gave out; start again without one")));
        }
    }

    /** A cipher set up for one token, the version byte authenticated with it. */
    private static Sealer cipher(int mode, byte[] key, byte[] nonce) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(new byte[] {VERSION});
            return new Sealer(cipher);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every JRE", e);
        }
    }

    /** A cipher whose failure (a tag that does not match: edited or foreign) is unchecked, so decode refuses it. */
    private record Sealer(Cipher cipher) {
        byte[] doFinalOrFail(byte[] input) {
            try {
                return cipher.doFinal(input);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("not sealed by this service", e);
            }
        }
    }
}
