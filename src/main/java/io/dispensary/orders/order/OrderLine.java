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
    /** At the column's scale, numeric(12, 3). */
    BigDecimal netWeightGrams;

    BigDecimal thcMg;
    long lineTotalCents;
}
