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

    private DammCheckDigit() {}

    /** The check digit of a string of ASCII digits (plain Damm: the interim starts at 0). */
    public static char compute(CharSequence digits) {
        return compute(digits, 0);
    }

    /** Whether a string of ASCII digits ends in its correct plain Damm check digit. */
    public static boolean isValid(CharSequence digitsWithCheck) {
        return isValid(digitsWithCheck, 0);
    }

    /** The check digit with the interim starting at {@code seed} (0 to 9) instead of 0. */
    public static char compute(CharSequence digits, int seed) {
        return (char) ('0' + interim(digits, seed));
    }

    /** Whether a string of ASCII digits ends in its correct check digit for this seed. */
    public static boolean isValid(CharSequence digitsWithCheck, int seed) {
        return digitsWithCheck.length() > 1 && interim(digitsWithCheck, seed) == 0;
    }

    /**
     * The seed of the check digit of numbers of a width, for widths registered since it exists (older ones keep
     * plain Damm, seed 0; see order_number_width.check_seed).
     *
     * <p>Plain Damm ignores leading zeros: after a widening from 6 to 7 digits, one new number in ten starts
     * with 0, and the same number without that zero ("04821334" read back as "4821334", as a spreadsheet or an
     * integer column does) passed the check as a 6-digit number, maybe someone else's order. Processing a
     * leading 0 from interim s moves it to TABLE[s][0], and the digits after it then map interims one to one.
     * So the zero's loss (or a zero added in front) is always caught when TABLE[seed(w)][0] differs from the
     * seed of width w - 1, which holds for every pair of adjacent widths of 6 to 18 digits with this seed, and
     * against a plain width below (seed 0) because the seed is never 0. A seed changes nothing else: a
     * single-digit error or an adjacent transposition is caught from any interim.
     */
    public static int seedForWidth(int digits) {
        return (4 * digits) % 9 + 1;
    }

    private static int interim(CharSequence digits, int seed) {
        if (seed < 0 || seed > 9) {
            throw new IllegalArgumentException("a seed is a digit, not " + seed);
        }
        int interim = seed;
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
