package io.dispensary.orders.ordernumber;

/**
 * The Damm check digit: one 10x10 quasigroup table that catches every single-digit error and every adjacent
 * transposition, the two mistakes people make reading a number over the phone (Luhn misses 09/90).
 */
public final class DammCheckDigit {

    private static final byte[][] TABLE = {
        {0, 3, 1, 7, 5, 9, 8, 6, 4, 2},
        {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
        {4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
        {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
        {6, 1, 2, 3, 0, 4, 5, 9, 7, 8},
        {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
        {5, 8, 6, 9, 7, 2, 0, 1, 3, 4},
        {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
        {9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
        {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
    };

    private DammCheckDigit() {
    }

    /** The check digit of a string of ASCII digits. */
    public static char compute(CharSequence digits) {
        return (char) ('0' + interim(digits));
    }

    /** Whether a string of ASCII digits ends in its correct check digit. */
    public static boolean isValid(CharSequence digitsWithCheck) {
        return digitsWithCheck.length() > 1 && interim(digitsWithCheck) == 0;
    }

    private static int interim(CharSequence digits) {
        int interim = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = digits.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                throw new IllegalArgumentException("not a decimal digit at position " + i);
            }
            interim = TABLE[interim][digit];
        }
        return interim;
    }
}
