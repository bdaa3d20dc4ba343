package io.dispensary.orders.order;

import io.dispensary.orders.common.problem.ApiProblem;
import io.dispensary.orders.common.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An opaque listing cursor: the (createdAt, id) of the last order of the previous page, signed with HMAC-SHA256
 * so that a client can only pass back a position the service gave out (an edited one could name a time the
 * database cannot store, and would answer 500).
 */
record Cursor(Instant createdAt, long id) {

    private static final String VERSION = "v2";
    private static final int SIGNATURE_BYTES = 16;

    static Cursor of(CustomerOrder order) {
        return new Cursor(order.createdAt, order.id);
    }

    /** {@code base64url(position) + "." + base64url(signature)}. */
    String encode(byte[] key) {
        byte[] plain = (VERSION + ":" + createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + id)
                .getBytes(StandardCharsets.US_ASCII);
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString(plain) + "." + base64.encodeToString(sign(key, plain));
    }

    /** Parses a cursor this service gave out; anything else is a 400. */
    static Cursor decode(String cursor, byte[] key) {
        try {
            int dot = cursor.indexOf('.');
            if (dot < 0) {
                throw new IllegalArgumentException("unsigned");
            }
            byte[] plain = Base64.getUrlDecoder().decode(cursor.substring(0, dot));
            byte[] signature = Base64.getUrlDecoder().decode(cursor.substring(dot + 1));
            if (!MessageDigest.isEqual(sign(key, plain), signature)) {
                throw new IllegalArgumentException("not signed by this service");
            }
            String[] parts = new String(plain, StandardCharsets.US_ASCII).split(":");
            if (parts.length != 4 || !VERSION.equals(parts[0])) {
                throw new IllegalArgumentException("unknown cursor version");
            }
            long id = Long.parseLong(parts[3]);
            int nanos = Integer.parseInt(parts[2]);
            if (id < 0 || nanos < 0 || nanos > 999_999_999) {
                throw new IllegalArgumentException("out of range");
            }
            Instant createdAt = Instant.ofEpochSecond(Long.parseLong(parts[1]), nanos);
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

    private static byte[] sign(byte[] key, byte[] plain) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(plain), SIGNATURE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
