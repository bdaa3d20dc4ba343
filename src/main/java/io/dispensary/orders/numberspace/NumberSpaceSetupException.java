package io.dispensary.orders.numberspace;

/** A start-up configuration of order numbers that would break numbers already issued. */
public class NumberSpaceSetupException extends RuntimeException {

    public NumberSpaceSetupException(String message) {
        super(message);
    }
}
