package io.dispensary.orders.ordernumber;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A fingerprint that tells whether two order-number keys are the same without storing or revealing the key:
 * HMAC-SHA256 of a fixed label under the key, truncated to 128 bits.
 */
public final class KeyFingerprint {

    private static final byte[] LABEL = "order-number-key-fingerprint/v1".getBytes(StandardCharsets.US_ASCII);

    private KeyFingerprint() {}

    public static String of(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(LABEL);
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
