package io.dispensary.orders.order;

import io.dispensary.orders.tenant.CustomerType;
import io.dispensary.orders.tenant.Fulfillment;
import java.time.Instant;

/** An order in a listing: enough to pick it out; {@code GET /orders/{orderNumber}} has the rest. */
public record OrderSummary(
        String orderNumber,
        OrderStatus status,
        boolean test,
        String dispensaryId,
        Fulfillment fulfillment,
        CustomerType customerType,
        long totalCents,
        Instant createdAt,
        Instant updatedAt,
        int version) {

    static OrderSummary of(CustomerOrder order) {
        return new OrderSummary(
                order.orderNumber,
                order.status,
                order.test,
                order.dispensaryId,
                order.fulfillment,
                order.customerType,
                order.totalCents,
                order.createdAt,
                order.updatedAt,
                order.version);
    }
}
