package io.dispensary.orders.tenant;

import io.dispensary.orders.common.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Making and checking API keys. A key is 256 random bits, so a plain SHA-256 of it is a safe stored form (no
 * salt or slow hash needed: there is nothing to guess), and lookups by hash stay one index probe.
 */
final class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY_PREFIX = "dsk_";

    private ApiKeys() {}

    /** A new secret key, shown to the admin once. */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A new public key id: what logs, transitions and the admin API use to name a key. */
    static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "key_" + HexFormat.of().formatHex(bytes);
    }

    static String hash(String secret) {
        return Sha256.hex(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a secret has the shape of a key at all: anything else is refused without asking the database. */
    static boolean looksLikeKey(String secret) {
        return secret.startsWith(KEY_PREFIX) && secret.length() <= 100;
    }
}
