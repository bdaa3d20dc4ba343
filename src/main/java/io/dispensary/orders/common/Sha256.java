package io.dispensary.orders.common;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 as lowercase hex, for what every request hashes (its API key, an idempotent request's fingerprint).
 * Each call clones one prototype digest: {@link MessageDigest#getInstance} searches the security providers every
 * time, which JFR showed on the create path; a clone of a fresh digest is the same algorithm in its initial state.
 */
public final class Sha256 {

    private static final MessageDigest PROTOTYPE;

    static {
        try {
            PROTOTYPE = MessageDigest.getInstance("SHA-256");
            PROTOTYPE.clone(); // fail at class load, not on a request, if the provider's digest cannot be cloned
        } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Sha256() {}

    public static String hex(byte[] input) {
        try {
            // The prototype is never updated, so cloning it from many threads at once is safe.
            return HexFormat.of().formatHex(((MessageDigest) PROTOTYPE.clone()).digest(input));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("checked when the class loaded", e);
        }
    }
}
