package io.dispensary.orders.order;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** One step of an order's lifecycle ({@code order_transition}), its creation included, with the time and the key that made it. */
final class OrderTransition {

    /** Drawn by the column's default (V5). */
    Long id;

    Long orderId;
    /** Absent on the step that created the order. */
    OrderStatus fromStatus;

    OrderStatus toStatus;
    String reason;
    String apiKeyId;
    Instant at;

    /**
     * The time of a step taken after the order's last change: this instance's clock, but never at or before
     * that change. The history is ordered by time, and the instances' clocks differ (by milliseconds with NTP,
     * by more without): a step taken on a slower clock than the last one would show before it. Under the
     * transition's row lock the last change is known, so the order of the steps is the order they happened.
     */
    static Instant after(Instant lastChange, Instant now) {
        // PostgreSQL keeps microseconds: truncate so the response equals what a later read returns.
        Instant truncated = now.truncatedTo(ChronoUnit.MICROS);
        return truncated.isAfter(lastChange) ? truncated : lastChange.plus(1, ChronoUnit.MICROS);
    }
}
