package io.dispensary.orders.numberspace;

import io.dispensary.orders.ordernumber.Namespace;

/** The sequence behind a namespace is spent at the configured width: only an operator can widen it. */
public class NumberSpaceExhaustedException extends RuntimeException {

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
}
