package io.dispensary.orders.order;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** One step of an order's lifecycle (its creation included), with the time and the key that made it. */
@Entity
@Table(name = "order_transition")
public class OrderTransition extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "order_transition_id")
    @SequenceGenerator(name = "order_transition_id", sequenceName = "order_transition_id_seq", allocationSize = 50)
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

    static List<OrderTransition> history(Long orderId) {
        return list("orderId = ?1 order by at, id", orderId);
    }
}
