package io.dispensary.orders.order;

/** How the customer gets the order. */
public enum Fulfillment {
    PICKUP, DELIVERY
}
