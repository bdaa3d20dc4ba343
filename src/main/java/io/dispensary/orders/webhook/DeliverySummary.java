package io.dispensary.orders.webhook;

/** A subscription's deliveries by state; {@code created} is always the sum of the others. */
public record DeliverySummary(long created, long delivered, long pending, long retrying, long dead, long cancelled) {

    static DeliverySummary of(long delivered, long pending, long retrying, long dead, long cancelled) {
        return new DeliverySummary(
                delivered + pending + retrying + dead + cancelled, delivered, pending, retrying, dead, cancelled);
    }
}
