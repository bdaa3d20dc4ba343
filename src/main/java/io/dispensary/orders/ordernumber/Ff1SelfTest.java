package io.dispensary.orders.ordernumber;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Runs NIST FF1 radix-10 samples 1 and 2 (AES-128, with and without a tweak) through {@link Ff1}.
 *
 * <p>The service runs this at start-up because Bouncy Castle can switch FF1 off by system property
 * ({@code org.bouncycastle.fpe.disable}), and a broken permutation would silently issue wrong numbers.
 */
public final class Ff1SelfTest {

    private static final byte[] KEY = HexFormat.of().parseHex("2B7E151628AED2A6ABF7158809CF4F3C");
    private static final byte[] TWEAK = HexFormat.of().parseHex("39383736353433323130");
    private static final byte[] PLAINTEXT = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    private static final byte[] SAMPLE_1 = {2, 4, 3, 3, 4, 7, 7, 4, 8, 4};
    private static final byte[] SAMPLE_2 = {6, 1, 2, 4, 2, 0, 0, 7, 7, 3};

    private Ff1SelfTest() {}

    /** Throws {@link IllegalStateException} unless FF1 reproduces the NIST samples both ways. */
    public static void run() {
        Ff1 ff1 = new Ff1(KEY);
        try {
            check(ff1, new byte[0], SAMPLE_1, "1");
            check(ff1, TWEAK, SAMPLE_2, "2");
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException) {
                throw e;
            }
            throw new IllegalStateException("FF1 self-test failed: " + e.getMessage(), e);
        }
    }

    private static void check(Ff1 ff1, byte[] tweak, byte[] expected, String sample) {
        if (!Arrays.equals(ff1.encrypt(PLAINTEXT, tweak), expected)
                || !Arrays.equals(ff1.decrypt(expected, tweak), PLAINTEXT)) {
            throw new IllegalStateException("FF1 self-test failed on NIST sample " + sample
                    + ": the FF1 implementation is broken or disabled, refusing to issue order numbers");
        }
    }
}
