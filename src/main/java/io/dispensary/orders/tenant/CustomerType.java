package io.dispensary.orders.tenant;

/** Recreational (adult-use) and medical customers have different purchase limits. */
public enum CustomerType {
    RECREATIONAL,
    MEDICAL
}
