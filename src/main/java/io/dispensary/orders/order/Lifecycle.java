package io.dispensary.orders.order;

import io.dispensary.orders.tenant.Fulfillment;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The order lifecycle: PENDING -> CONFIRMED -> READY_FOR_PICKUP (pickup) or OUT_FOR_DELIVERY (delivery)
 * -> COMPLETED; PENDING -> REJECTED; anything before COMPLETED -> CANCELLED (with a reason).
 */
final class Lifecycle {

    private static final Map<OrderStatus, Set<OrderStatus>> NEXT = Map.of(
            OrderStatus.PENDING, EnumSet.of(OrderStatus.CONFIRMED, OrderStatus.REJECTED, OrderStatus.CANCELLED),
            OrderStatus.CONFIRMED,
                    EnumSet.of(OrderStatus.READY_FOR_PICKUP, OrderStatus.OUT_FOR_DELIVERY, OrderStatus.CANCELLED),
            OrderStatus.READY_FOR_PICKUP, EnumSet.of(OrderStatus.COMPLETED, OrderStatus.CANCELLED),
            OrderStatus.OUT_FOR_DELIVERY, EnumSet.of(OrderStatus.COMPLETED, OrderStatus.CANCELLED),
            OrderStatus.COMPLETED, EnumSet.noneOf(OrderStatus.class),
            OrderStatus.REJECTED, EnumSet.noneOf(OrderStatus.class),
            OrderStatus.CANCELLED, EnumSet.noneOf(OrderStatus.class));

    private Lifecycle() {}

    /** The statuses an order can move to next, given how it is fulfilled. */
    static Set<OrderStatus> allowed(OrderStatus from, Fulfillment fulfillment) {
        Set<OrderStatus> next = EnumSet.noneOf(OrderStatus.class);
        next.addAll(NEXT.get(from));
        next.remove(fulfillment == Fulfillment.PICKUP ? OrderStatus.OUT_FOR_DELIVERY : OrderStatus.READY_FOR_PICKUP);
        return next;
    }

    static boolean needsReason(OrderStatus to) {
        return to == OrderStatus.CANCELLED;
    }
}
