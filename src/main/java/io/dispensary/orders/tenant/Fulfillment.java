package io.dispensary.orders.tenant;

/** How the customer gets the order. */
public enum Fulfillment {
    PICKUP,
    DELIVERY
}
