package io.dispensary.orders.ordernumber;

import org.bouncycastle.crypto.fpe.FPEEngine;
import org.bouncycastle.crypto.fpe.FPEFF1Engine;
import org.bouncycastle.crypto.params.FPEParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * NIST SP 800-38G Rev. 1 FF1 over decimal strings, keyed with AES, from Bouncy Castle.
 *
 * <p>Bouncy Castle takes one byte per numeral value (0..9), not ASCII characters, and refuses inputs under
 * 10^6 (six decimal digits), which is exactly the Rev. 1 minimum domain. Its engines keep state between
 * {@code init} and {@code processBlock}, so each call gets a fresh engine: that keeps this class thread-safe
 * and costs well under a microsecond next to the AES rounds.
 */
public final class Ff1 {

    static final int RADIX = 10;
    /** FF1 Rev. 1 needs radix^length of at least one million. */
    public static final int MIN_DIGITS = 6;
    /** A sequence value must fit a Java long. */
    public static final int MAX_DIGITS = 18;

    private final KeyParameter key;

    public Ff1(byte[] key) {
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("an AES key has 128, 192 or 256 bits, not " + key.length * 8);
        }
        this.key = new KeyParameter(key.clone());
    }

    /** Encrypts a string of numeral values (each 0..9) under the tweak. */
    public byte[] encrypt(byte[] numerals, byte[] tweak) {
        return process(true, numerals, tweak);
    }

    /** Decrypts a string of numeral values (each 0..9) under the tweak. */
    public byte[] decrypt(byte[] numerals, byte[] tweak) {
        return process(false, numerals, tweak);
    }

    private byte[] process(boolean encrypt, byte[] numerals, byte[] tweak) {
        if (numerals.length < MIN_DIGITS) {
            throw new IllegalArgumentException("FF1 needs at least " + MIN_DIGITS + " decimal digits");
        }
        FPEEngine engine = new FPEFF1Engine();
        engine.init(encrypt, new FPEParameters(key, RADIX, tweak));
        byte[] out = new byte[numerals.length];
        engine.processBlock(numerals, 0, numerals.length, out, 0);
        return out;
    }

    /** The numeral values of a number zero-padded to {@code digits}. */
    static byte[] toNumerals(long value, int digits) {
        byte[] numerals = new byte[digits];
        long rest = value;
        for (int i = digits - 1; i >= 0; i--) {
            numerals[i] = (byte) (rest % RADIX);
            rest /= RADIX;
        }
        if (rest != 0 || value < 0) {
            throw new IllegalArgumentException(value + " does not fit " + digits + " digits");
        }
        return numerals;
    }

    static long fromNumerals(byte[] numerals) {
        long value = 0;
        for (byte numeral : numerals) {
            value = value * RADIX + numeral;
        }
        return value;
    }
}
