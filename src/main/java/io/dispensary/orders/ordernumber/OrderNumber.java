package io.dispensary.orders.ordernumber;

/** An issued order number: its namespace, payload width and the text people see, e.g. {@code 482133071-T}. */
public record OrderNumber(Namespace namespace, int digits, String text) {

    @Override
    public String toString() {
        return text;
    }
}
