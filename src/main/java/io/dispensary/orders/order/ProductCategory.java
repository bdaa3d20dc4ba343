package io.dispensary.orders.order;

/** Product categories, as purchase limits group them. */
public enum ProductCategory {
    FLOWER,
    PRE_ROLL,
    VAPE,
    CONCENTRATE,
    EDIBLE,
    TOPICAL,
    ACCESSORY
}
