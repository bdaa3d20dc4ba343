package io.dispensary.orders.order;

import io.dispensary.orders.tenant.CustomerType;
import io.dispensary.orders.tenant.Fulfillment;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** An order as stored. {@code Order} is an SQL keyword, hence the name. */
@Entity
@Table(name = "customer_order")
public class CustomerOrder extends PanacheEntityBase {

    /** Drawn by the column's default (V5), for this entity and for OrderStore's insert alike. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "order_number", nullable = false, unique = true, length = 24)
    public String orderNumber;

    @Column(nullable = false)
    public boolean test;

    @Column(name = "sequence_value", nullable = false)
    public long sequenceValue;

    @Column(name = "number_digits", nullable = false)
    public int numberDigits;

    @Column(name = "dispensary_id", nullable = false, length = 64)
    public String dispensaryId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 32)
    public OrderStatus status;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Fulfillment fulfillment;

    @Column(name = "customer_name", nullable = false, length = 200)
    public String customerName;

    @Column(name = "customer_phone", nullable = false, length = 16)
    public String customerPhone;

    @Column(name = "customer_email", length = 254)
    public String customerEmail;

    @Column(name = "customer_birth_date", nullable = false)
    public LocalDate customerBirthDate;

    @Enumerated(EnumType.STRING)
    @Column(name = "customer_type", nullable = false, length = 16)
    public CustomerType customerType;

    @Column(name = "delivery_line1", length = 200)
    public String deliveryLine1;

    @Column(name = "delivery_line2", length = 200)
    public String deliveryLine2;

    @Column(name = "delivery_city", length = 100)
    public String deliveryCity;

    @Column(name = "delivery_region", length = 100)
    public String deliveryRegion;

    @Column(name = "delivery_postal_code", length = 20)
    public String deliveryPostalCode;

    @Column(name = "total_cents", nullable = false)
    public long totalCents;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    @Column(nullable = false)
    public int version;

    @OneToMany(mappedBy = "order", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("lineNo")
    public List<OrderLine> lines = new ArrayList<>();
}
