package io.dispensary.orders.order;

/** Where an order stands in its lifecycle. */
public enum OrderStatus {
    PENDING,
    CONFIRMED,
    READY_FOR_PICKUP,
    OUT_FOR_DELIVERY,
    COMPLETED,
    REJECTED,
    CANCELLED
}
