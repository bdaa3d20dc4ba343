package io.dispensary.orders.order;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dispensary.orders.tenant.CustomerType;
import io.dispensary.orders.tenant.Fulfillment;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** An order as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderView(
        String orderNumber,
        OrderStatus status,
        boolean test,
        String dispensaryId,
        Customer customer,
        Fulfillment fulfillment,
        CreateOrderRequest.DeliveryAddress deliveryAddress,
        List<Item> items,
        long totalCents,
        Instant createdAt,
        Instant updatedAt,
        int version,
        List<Transition> history) {

    /** One lifecycle step: {@code from} is absent on creation; {@code by} is the id of the API key that made it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Transition(OrderStatus from, OrderStatus to, String reason, Instant at, String by) {}

    /** The customer as stored with the order. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Customer(String name, String phone, String email, LocalDate birthDate, CustomerType type) {}

    /** A line with its computed total. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(
            String sku,
            String name,
            ProductCategory category,
            int quantity,
            long unitPriceCents,
            BigDecimal netWeightGrams,
            BigDecimal thcMg,
            long lineTotalCents) {}

    static OrderView of(CustomerOrder order, List<OrderTransition> transitions) {
        CreateOrderRequest.DeliveryAddress address = order.deliveryLine1 == null
                ? null
                : new CreateOrderRequest.DeliveryAddress(
                        order.deliveryLine1,
                        order.deliveryLine2,
                        order.deliveryCity,
                        order.deliveryRegion,
                        order.deliveryPostalCode);
        List<Item> items = order.lines.stream()
                .map(line -> new Item(
                        line.sku,
                        line.name,
                        line.category,
                        line.quantity,
                        line.unitPriceCents,
                        shortest(line.netWeightGrams),
                        shortest(line.thcMg),
                        line.lineTotalCents))
                .toList();
        return new OrderView(
                order.orderNumber,
                order.status,
                order.test,
                order.dispensaryId,
                new Customer(
                        order.customerName,
                        order.customerPhone,
                        order.customerEmail,
                        order.customerBirthDate,
                        order.customerType),
                order.fulfillment,
                address,
                items,
                order.totalCents,
                order.createdAt,
                order.updatedAt,
                order.version,
                transitions.stream()
                        .map(t -> new Transition(t.fromStatus, t.toStatus, t.reason, t.at, t.apiKeyId))
                        .toList());
    }

    /**
     * A measure in its shortest plain form (3.5, 100), the one form every response writes it in: the column keeps
     * scale 3, so without this a read said 3.500 where a 201 built from the request said 3.5, and a client
     * comparing the two saw different text. Never an exponent (1E+2), which Jackson would write for 100.
     */
    static BigDecimal shortest(BigDecimal measure) {
        if (measure == null) {
            return null;
        }
        BigDecimal stripped = measure.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** The ETag of an order at a version: what GET and transitions send and If-Match compares. */
    static String etag(int version) {
        return "\"" + version + "\"";
    }
}
