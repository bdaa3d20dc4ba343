package io.dispensary.orders.ordernumber;

import java.util.HexFormat;
import java.util.Map;

/**
 * Turns sequence values into order numbers and back: FF1 of the zero-padded value, then a Damm check digit,
 * then the namespace suffix.
 *
 * <p>FF1 is a bijection on [0, 10^digits), so distinct sequence values can never give the same number: there is
 * no lookup and no retry, and issuing the last number costs what issuing the first did. Numbers of different
 * widths differ in length, which is why widening never collides with what was issued before. The check digit
 * of each width starts from that width's seed ({@link DammCheckDigit#seedForWidth}), so a wider number that
 * loses its leading zero does not pass as a narrower one; widths issued before seeds existed keep plain Damm.
 */
public final class OrderNumberCodec {

    private final Ff1 ff1;
    private final int digits;
    private final boolean checkDigit;
    private final long capacity;
    /** Stored seeds of the widths in use; a width not in it is a new one, and takes the seed of its width. */
    private final Map<Integer, Integer> checkSeeds;

    /**
     * A codec for a database whose widths all have the seed of their width (a new one); {@link #withCheckSeeds}
     * gives it the seeds a database stored.
     */
    public OrderNumberCodec(byte[] key, int digits, boolean checkDigit) {
        this(new Ff1(key), checkedWidth(digits), checkDigit, Map.of());
    }

    private OrderNumberCodec(Ff1 ff1, int digits, boolean checkDigit, Map<Integer, Integer> checkSeeds) {
        this.ff1 = ff1;
        this.digits = digits;
        this.checkDigit = checkDigit;
        this.capacity = pow10(digits);
        this.checkSeeds = Map.copyOf(checkSeeds);
    }

    private static int checkedWidth(int digits) {
        if (digits < Ff1.MIN_DIGITS || digits > Ff1.MAX_DIGITS) {
            throw new IllegalArgumentException(
                    "order numbers have " + Ff1.MIN_DIGITS + " to " + Ff1.MAX_DIGITS + " digits, not " + digits);
        }
        return digits;
    }

    /** The same codec, checking each width in {@code stored} with its stored seed (0: plain Damm). */
    public OrderNumberCodec withCheckSeeds(Map<Integer, Integer> stored) {
        return new OrderNumberCodec(ff1, digits, checkDigit, stored);
    }

    /** The seed of the check digit of numbers of a width (0 for widths issued with plain Damm). */
    public int checkSeed(int width) {
        return checkSeeds.getOrDefault(width, DammCheckDigit.seedForWidth(width));
    }

    /** A payload of any width in use followed by its check digit: what a well-formed number of it looks like. */
    public String withCheckDigit(String payload) {
        return payload + DammCheckDigit.compute(payload, checkSeed(payload.length()));
    }

    /** Parses a hex AES key (128, 192 or 256 bits) as given in configuration. */
    public static byte[] parseKey(String hex) {
        String trimmed = hex == null ? "" : hex.trim();
        byte[] key;
        try {
            key = HexFormat.of().parseHex(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the order-number key must be hexadecimal (32, 48 or 64 hex digits)");
        }
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException(
                    "the order-number key must be 128, 192 or 256 bits (32, 48 or 64 hex digits), not "
                            + trimmed.length() + " hex digits");
        }
        return key;
    }

    /** The payload width. */
    public int digits() {
        return digits;
    }

    public boolean checkDigit() {
        return checkDigit;
    }

    /** How many numbers this width holds per namespace: 10^digits. */
    public long capacity() {
        return capacity;
    }

    /** The highest sequence value this width can encode: 10^digits - 1. */
    public long maxSequenceValue() {
        return capacity - 1;
    }

    /** The order number of a sequence value in a namespace. */
    public OrderNumber encode(Namespace namespace, long sequenceValue) {
        if (sequenceValue < 0 || sequenceValue > maxSequenceValue()) {
            throw new IllegalArgumentException(
                    "sequence value " + sequenceValue + " is outside [0, " + maxSequenceValue() + "]");
        }
        byte[] numerals = ff1.encrypt(Ff1.toNumerals(sequenceValue, digits), namespace.tweak());
        StringBuilder text = new StringBuilder(digits + 1 + namespace.suffix().length());
        for (byte numeral : numerals) {
            text.append((char) ('0' + numeral));
        }
        if (checkDigit) {
            text.append(DammCheckDigit.compute(text, checkSeed(digits)));
        }
        text.append(namespace.suffix());
        return new OrderNumber(namespace, digits, text.toString());
    }

    /** The sequence value behind a number of this codec's width (the inverse of {@link #encode}). */
    public long decode(OrderNumber number) {
        if (number.digits() != digits) {
            throw new IllegalArgumentException("a " + number.digits() + "-digit number needs its own codec");
        }
        String payload = number.text().substring(0, digits);
        byte[] numerals = new byte[digits];
        for (int i = 0; i < digits; i++) {
            numerals[i] = (byte) (payload.charAt(i) - '0');
        }
        return Ff1.fromNumerals(ff1.decrypt(numerals, number.namespace().tweak()));
    }

    /**
     * Checks the shape and the check digit of a number someone typed, before anything looks it up, so a typo
     * is told apart from a missing order and never lands on someone else's. Any width from 6 to 18 digits is
     * accepted: numbers issued before a widening stay valid.
     */
    public OrderNumber parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new MalformedOrderNumberException("an order number is required");
        }
        Namespace namespace = Namespace.PRODUCTION;
        String body = text;
        if (text.endsWith(Namespace.TEST.suffix())) {
            namespace = Namespace.TEST;
            body = text.substring(0, text.length() - Namespace.TEST.suffix().length());
        }
        int checkLength = checkDigit ? 1 : 0;
        int payloadDigits = body.length() - checkLength;
        if (payloadDigits < Ff1.MIN_DIGITS || payloadDigits > Ff1.MAX_DIGITS) {
            throw new MalformedOrderNumberException("an order number has " + (Ff1.MIN_DIGITS + checkLength) + " to "
                    + (Ff1.MAX_DIGITS + checkLength) + " digits, optionally followed by -T for a test order");
        }
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c < '0' || c > '9') {
                throw new MalformedOrderNumberException(
                        "an order number has only the digits 0-9, optionally followed by -T for a test order");
            }
        }
        if (checkDigit && !DammCheckDigit.isValid(body, checkSeed(payloadDigits))) {
            throw new MalformedOrderNumberException("the check digit does not match: the number was probably mistyped");
        }
        return new OrderNumber(namespace, payloadDigits, text);
    }

    private static long pow10(int exponent) {
        long value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }
}
