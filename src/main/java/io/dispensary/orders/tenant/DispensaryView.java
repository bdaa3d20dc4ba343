package io.dispensary.orders.tenant;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** A dispensary as the admin API shows it. */
public record DispensaryView(String id, String name, String timezone, Set<Fulfillment> fulfillment, int minimumAge,
        Map<CustomerType, PurchaseLimit> purchaseLimits, Instant createdAt, Instant updatedAt) {

    static DispensaryView of(Dispensary dispensary) {
        return new DispensaryView(dispensary.id, dispensary.name, dispensary.timezone, dispensary.fulfillment,
                dispensary.minimumAge, dispensary.purchaseLimits, dispensary.createdAt, dispensary.updatedAt);
    }
}
