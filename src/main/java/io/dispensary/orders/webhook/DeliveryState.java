package io.dispensary.orders.webhook;

import java.util.Locale;

/** Where a delivery is; every delivery is in exactly one, so the counts add up to the deliveries created. */
public enum DeliveryState {
    /** Not yet attempted, or its first attempt is under way. */
    PENDING,
    /** At least one attempt failed; the next is due at its next attempt time. */
    RETRYING,
    DELIVERED,
    /** Every attempt of the retry schedule failed; it stays until retried (or its subscription is deleted). */
    DEAD,
    /** Its subscription was deleted before it was delivered. */
    CANCELLED;

    String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DeliveryState ofColumn(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
