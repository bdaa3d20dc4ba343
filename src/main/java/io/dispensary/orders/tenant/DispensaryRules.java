package io.dispensary.orders.tenant;

import java.util.Map;
import java.util.Set;

/**
 * What create-order checks an order against: a dispensary's compliance rules, as read for each order
 * ({@link TenantService#rules}), apart from the entity the admin API edits.
 */
public record DispensaryRules(
        String id,
        String timezone,
        Set<Fulfillment> fulfillment,
        int minimumAge,
        Map<CustomerType, PurchaseLimit> purchaseLimits) {}
