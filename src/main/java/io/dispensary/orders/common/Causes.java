package io.dispensary.orders.common;

import java.util.function.Predicate;

/** Looks through a failure's cause chain, however deep JPA, JTA, Vert.x or our own code wrapped what happened. */
public final class Causes {

    private Causes() {}

    /** Whether the failure or any of its causes passes the test; a cause that is its own cause ends the chain. */
    public static boolean any(Throwable failure, Predicate<Throwable> test) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (test.test(cause)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
