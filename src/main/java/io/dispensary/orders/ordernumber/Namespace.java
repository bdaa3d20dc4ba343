package io.dispensary.orders.ordernumber;

import java.nio.charset.StandardCharsets;

/** The two number spaces: production orders and test orders, each with its own sequence, FF1 tweak and suffix. */
public enum Namespace {
    PRODUCTION("order_number_seq", "orders/production", ""),
    TEST("test_order_number_seq", "orders/test", "-T");

    private final String sequenceName;
    private final byte[] tweak;
    private final String suffix;

    Namespace(String sequenceName, String tweak, String suffix) {
        this.sequenceName = sequenceName;
        this.tweak = tweak.getBytes(StandardCharsets.US_ASCII);
        this.suffix = suffix;
    }

    /** The PostgreSQL sequence this namespace draws from. */
    public String sequenceName() {
        return sequenceName;
    }

    /** The FF1 tweak: the same sequence value gives unrelated numbers in the two namespaces. */
    byte[] tweak() {
        return tweak.clone();
    }

    /** Appended to the shown number, so a test order can never be mistaken for (or looked up as) a real one. */
    public String suffix() {
        return suffix;
    }

    /** A lower-case label for metrics and logs. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
