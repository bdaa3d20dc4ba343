package io.dispensary.orders.tenant;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** A dispensary as the admin API shows it. */
public record DispensaryView(
        String id,
        String name,
        String timezone,
        Set<Fulfillment> fulfillment,
        int minimumAge,
        Map<CustomerType, PurchaseLimit> purchaseLimits,
        Instant createdAt,
        Instant updatedAt) {

    /**
     * In declaration order, both the fulfillment and the limits' customer types: the entity holds what jsonb gave
     * back (a set and a map in no order of ours), and a PUT's answer must read the same as the GET after it.
     */
    static DispensaryView of(Dispensary dispensary) {
        Set<Fulfillment> fulfillment = dispensary.fulfillment.isEmpty()
                ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(dispensary.fulfillment));
        Map<CustomerType, PurchaseLimit> limits = dispensary.purchaseLimits.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new EnumMap<>(dispensary.purchaseLimits));
        return new DispensaryView(
                dispensary.id,
                dispensary.name,
                dispensary.timezone,
                fulfillment,
                dispensary.minimumAge,
                limits,
                dispensary.createdAt,
                dispensary.updatedAt);
    }
}
