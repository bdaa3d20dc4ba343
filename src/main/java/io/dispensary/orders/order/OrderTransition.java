package io.dispensary.orders.order;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** One step of an order's lifecycle (its creation included), with the time and the key that made it. */
@Entity
@Table(name = "order_transition")
public class OrderTransition extends PanacheEntityBase {

    /** Drawn by the column's default (V5), for this entity and for OrderStore's insert alike. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "order_id", nullable = false)
    public Long orderId;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_status", length = 32)
    public OrderStatus fromStatus;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_status", nullable = false, length = 32)
    public OrderStatus toStatus;

    @Column(length = 500)
    public String reason;

    @Column(name = "api_key_id", nullable = false, length = 32)
    public String apiKeyId;

    @Column(nullable = false)
    public Instant at;

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
