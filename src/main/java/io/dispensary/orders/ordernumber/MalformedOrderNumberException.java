package io.dispensary.orders.ordernumber;

/** A string that cannot be an order number: wrong shape, or a check digit that does not match (a typo). */
public class MalformedOrderNumberException extends RuntimeException {

    public MalformedOrderNumberException(String message) {
        super(message);
    }
}
