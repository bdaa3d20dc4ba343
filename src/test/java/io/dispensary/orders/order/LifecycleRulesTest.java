package io.dispensary.orders.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.tenant.Fulfillment;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The lifecycle as a table, without HTTP: LifecycleTest covers the same rules through the API. */
class LifecycleRulesTest {

    @Test
    void aPendingOrderCanBeConfirmedRejectedOrCancelled() {
        for (Fulfillment fulfillment : Fulfillment.values()) {
            assertThat(Lifecycle.allowed(OrderStatus.PENDING, fulfillment))
                    .containsExactlyInAnyOrder(OrderStatus.CONFIRMED, OrderStatus.REJECTED, OrderStatus.CANCELLED);
        }
    }

    @Test
    void aConfirmedOrderGoesOnTheWayItIsFulfilled() {
        assertThat(Lifecycle.allowed(OrderStatus.CONFIRMED, Fulfillment.PICKUP))
                .containsExactlyInAnyOrder(OrderStatus.READY_FOR_PICKUP, OrderStatus.CANCELLED);
        assertThat(Lifecycle.allowed(OrderStatus.CONFIRMED, Fulfillment.DELIVERY))
                .containsExactlyInAnyOrder(OrderStatus.OUT_FOR_DELIVERY, OrderStatus.CANCELLED);
    }

    @Test
    void finalStatusesAllowNothing() {
        for (OrderStatus last : EnumSet.of(OrderStatus.COMPLETED, OrderStatus.REJECTED, OrderStatus.CANCELLED)) {
            for (Fulfillment fulfillment : Fulfillment.values()) {
                assertThat(Lifecycle.allowed(last, fulfillment))
                        .as("%s %s", fulfillment, last)
                        .isEmpty();
            }
        }
    }

    @Test
    void everyOpenStatusCanBeCancelledAndNoStatusLeadsBackToPending() {
        for (OrderStatus from : OrderStatus.values()) {
            for (Fulfillment fulfillment : Fulfillment.values()) {
                Set<OrderStatus> next = Lifecycle.allowed(from, fulfillment);
                assertThat(next).doesNotContain(OrderStatus.PENDING, from);
                if (!next.isEmpty()) {
                    assertThat(next).as("%s %s", fulfillment, from).contains(OrderStatus.CANCELLED);
                }
            }
        }
    }

    @Test
    void aPickupOrderNeverGoesOutForDeliveryNorADeliveryOrderWaitsForPickup() {
        for (OrderStatus from : OrderStatus.values()) {
            assertThat(Lifecycle.allowed(from, Fulfillment.PICKUP)).doesNotContain(OrderStatus.OUT_FOR_DELIVERY);
            assertThat(Lifecycle.allowed(from, Fulfillment.DELIVERY)).doesNotContain(OrderStatus.READY_FOR_PICKUP);
        }
    }

    @Test
    void onlyCancellingNeedsAReason() {
        for (OrderStatus to : OrderStatus.values()) {
            assertThat(Lifecycle.needsReason(to)).as("%s", to).isEqualTo(to == OrderStatus.CANCELLED);
        }
    }

    @Test
    void theSetReturnedIsTheCallersToChange() {
        Lifecycle.allowed(OrderStatus.PENDING, Fulfillment.PICKUP).clear();
        assertThat(Lifecycle.allowed(OrderStatus.PENDING, Fulfillment.PICKUP)).isNotEmpty();
    }
}
