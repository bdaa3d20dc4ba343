package io.dispensary.orders.order;

import io.dispensary.orders.tenant.CustomerType;
import io.dispensary.orders.tenant.Fulfillment;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * An order as stored ({@code customer_order}), with its lines. {@code Order} is an SQL keyword, hence the name.
 * A plain object: {@link OrderStore} reads and writes it, and its column mapping is written there once.
 */
final class CustomerOrder {

    /** Drawn by the column's default (V5). */
    Long id;

    String orderNumber;
    boolean test;
    long sequenceValue;
    int numberDigits;
    String dispensaryId;
    OrderStatus status;
    Fulfillment fulfillment;
    String customerName;
    String customerPhone;
    String customerEmail;
    LocalDate customerBirthDate;
    CustomerType customerType;
    String deliveryLine1;
    String deliveryLine2;
    String deliveryCity;
    String deliveryRegion;
    String deliveryPostalCode;
    long totalCents;
    Instant createdAt;
    Instant updatedAt;
    /** Starts at 0 and grows by one with every lifecycle step: the order's ETag and If-Match. */
    int version;

    List<OrderLine> lines = new ArrayList<>();
}
