package io.dispensary.orders.webhook;

import java.time.Instant;

/**
 * An order change as its webhook tells it: what happened to which order, and nothing personal (a receiver that
 * needs more reads the order with its API key). Statuses are the order API's names.
 */
public record OrderEvent(
        Type type,
        String orderNumber,
        String dispensaryId,
        String status,
        String previousStatus,
        int version,
        boolean test,
        Instant occurredAt) {

    /** The event types a subscription can ask for, by their names on the wire. */
    public enum Type {
        ORDER_CREATED("order.created"),
        ORDER_STATUS_CHANGED("order.status_changed");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static java.util.Optional<Type> ofWireName(String name) {
            for (Type type : values()) {
                if (type.wireName.equals(name)) {
                    return java.util.Optional.of(type);
                }
            }
            return java.util.Optional.empty();
        }
    }

    public static OrderEvent created(
            String orderNumber, String dispensaryId, String status, int version, boolean test, Instant at) {
        return new OrderEvent(Type.ORDER_CREATED, orderNumber, dispensaryId, status, null, version, test, at);
    }

    public static OrderEvent statusChanged(
            String orderNumber, String dispensaryId, String from, String to, int version, boolean test, Instant at) {
        return new OrderEvent(Type.ORDER_STATUS_CHANGED, orderNumber, dispensaryId, to, from, version, test, at);
    }
}
