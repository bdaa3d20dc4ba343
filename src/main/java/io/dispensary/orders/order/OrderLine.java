package io.dispensary.orders.order;

import java.math.BigDecimal;

/** One line of an order ({@code order_line}): a product, its quantity and the price at the time of ordering. */
final class OrderLine {

    int lineNo;
    String sku;
    String name;
    ProductCategory category;
    int quantity;
    long unitPriceCents;
    /** Scale 3 when read from its column, numeric(12, 3); as sent when created. */
    BigDecimal netWeightGrams;

    BigDecimal thcMg;
    long lineTotalCents;
}
