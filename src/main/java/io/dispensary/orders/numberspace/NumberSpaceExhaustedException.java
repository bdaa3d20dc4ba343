package io.dispensary.orders.numberspace;

import io.dispensary.orders.common.problem.ProblemException;
import io.dispensary.orders.ordernumber.Namespace;
import java.time.Duration;
import java.util.Map;

/**
 * The sequence behind a namespace is spent at the configured width: only an operator can widen it. Answered 503
 * {@code /problems/order-numbers-exhausted}.
 */
public class NumberSpaceExhaustedException extends RuntimeException implements ProblemException {

    /** An exhausted number space needs an operator to widen it: clients should not hammer it meanwhile. */
    static final Duration RETRY_AFTER = Duration.ofMinutes(5);

    private final Namespace namespace;
    private final int digits;

    public NumberSpaceExhaustedException(Namespace namespace, int digits) {
        super("the " + namespace.label() + " order-number space of " + digits + " digits is exhausted");
        this.namespace = namespace;
        this.digits = digits;
    }

    public Namespace namespace() {
        return namespace;
    }

    public int digits() {
        return digits;
    }

    @Override
    public int status() {
        return 503;
    }

    @Override
    public String slug() {
        return "order-numbers-exhausted";
    }

    @Override
    public String title() {
        return "Order numbers exhausted";
    }

    @Override
    public String detail() {
        return "No " + namespace.label() + " order numbers are left at " + digits + " digits. An operator must raise"
                + " orders.order-number.digits (ORDERS_ORDER_NUMBER_DIGITS) and restart the service.";
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Retry-After", String.valueOf(RETRY_AFTER.toSeconds()));
    }
}
