package io.dispensary.orders.testing;

import io.dispensary.orders.numberspace.NumberSpace;
import io.quarkus.arc.Arc;

/** Order numbers for tests of the running @QuarkusTest instance. */
public final class OrderNumbers {

    private OrderNumbers() {}

    /**
     * A payload followed by the check digit the service expects for its width: plain Damm for a width the test
     * database registered before check-digit seeds, the width's seed for one registered since.
     */
    public static String withCheckDigit(String payload) {
        return Arc.container().instance(NumberSpace.class).get().codec().withCheckDigit(payload);
    }
}
