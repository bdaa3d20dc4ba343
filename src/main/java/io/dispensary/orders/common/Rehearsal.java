package io.dispensary.orders.common;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.OptionalInt;

/**
 * The credential of the warm-up's rehearsals (the warmup package): before an instance turns ready it sends
 * create-order and get-order requests to itself, through HTTP, authentication, JSON, validation, the codec and
 * JDBC, and every one of them is rolled back and counted nowhere.
 *
 * <p>A rehearsal token is {@code rehearsal.<slot>.<secret>}: the secret is 32 random bytes made at start-up that
 * never leave this process, and it authenticates only while the warm-up runs ({@link #open} to {@link #close}),
 * which is before the instance takes traffic. The slot tells concurrent rehearsals apart, so each stages its own
 * dispensary and key inside its own transaction and none waits on another's rows. The ids carry a random
 * per-process part: two instances warming up at once never touch the same rows either.
 */
@ApplicationScoped
public class Rehearsal {

    static final String PREFIX = "rehearsal.";

    private final String secret;
    private final byte[] secretBytes;
    private final String instance;
    private volatile boolean open;

    public Rehearsal() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        this.secret = HexFormat.of().formatHex(bytes);
        this.secretBytes = secret.getBytes(StandardCharsets.US_ASCII);
        byte[] id = new byte[6];
        random.nextBytes(id);
        this.instance = HexFormat.of().formatHex(id);
    }

    /** From now until {@link #close}, rehearsal tokens authenticate. */
    public void open() {
        open = true;
    }

    /** Rehearsal tokens no longer authenticate; a request that still carries one is a 401 like any unknown key. */
    public void close() {
        open = false;
    }

    public boolean isOpen() {
        return open;
    }

    /** The bearer token of one slot's rehearsals. */
    public String token(int slot) {
        return PREFIX + slot + "." + secret;
    }

    /** The slot of a bearer token while rehearsals are open; empty for every other token, and for all once closed. */
    public OptionalInt slot(String bearer) {
        return open ? parse(bearer) : OptionalInt.empty();
    }

    /**
     * Whether this Authorization header value carries a genuine rehearsal token, open or not: the meters decide
     * when a response has ended, which can be just after the warm-up closed.
     */
    public boolean carriesToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return parse(authorization.substring(7).trim()).isPresent();
    }

    /** The dispensary a slot's rehearsals order from, staged in each rehearsal's transaction and rolled back. */
    public String dispensaryId(int slot) {
        return "rehearsal-" + instance + "-" + slot;
    }

    /** The API key id a slot's rehearsals run as (at most 32 characters, as every key id). */
    public String keyId(int slot) {
        return "rh_" + instance + "_" + slot;
    }

    private OptionalInt parse(String bearer) {
        if (bearer == null || !bearer.startsWith(PREFIX)) {
            return OptionalInt.empty();
        }
        int dot = bearer.indexOf('.', PREFIX.length());
        if (dot < 0 || dot == PREFIX.length() || dot - PREFIX.length() > 3) {
            return OptionalInt.empty();
        }
        int slot = 0;
        for (int i = PREFIX.length(); i < dot; i++) {
            char c = bearer.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalInt.empty();
            }
            slot = slot * 10 + (c - '0');
        }
        byte[] sent = bearer.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(secretBytes, sent) ? OptionalInt.of(slot) : OptionalInt.empty();
    }
}
