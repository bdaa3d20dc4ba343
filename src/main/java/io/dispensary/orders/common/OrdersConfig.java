package io.dispensary.orders.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The business settings of the service, all under {@code orders.*}; the README lists each with its env var. */
@ConfigMapping(prefix = "orders")
public interface OrdersConfig {

    /** A documented key for dev and test only; the prod profile refuses it. */
    String DEV_ORDER_NUMBER_KEY = "000102030405060708090a0b0c0d0e0f";

    OrderNumber orderNumber();

    /** How order numbers look. */
    interface OrderNumber {

        /** Payload digits, 6 to 18; the check digit comes on top. Raising it later is safe, lowering is refused. */
        @WithDefault("8")
        int digits();

        /** Hex AES key for FF1 (128, 192 or 256 bits). Never change it for a width already in use. */
        Optional<String> key();

        /** Whether a Damm check digit follows the payload. Fixed once numbers are issued. */
        @WithDefault("true")
        boolean checkDigit();

        /** How long, at most, a log line about exhaustion repeats. */
        @WithDefault("60s")
        java.time.Duration exhaustionLogInterval();
    }
}
