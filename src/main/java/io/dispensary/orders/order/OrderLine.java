package io.dispensary.orders.order;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.math.BigDecimal;

/** One line of an order: a product, its quantity and the price at the time of ordering. */
@Entity
@Table(name = "order_line")
public class OrderLine extends PanacheEntityBase {

    /** Drawn by the column's default (V5), for this entity and for OrderStore's insert alike. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "order_id")
    public CustomerOrder order;

    @Column(name = "line_no", nullable = false)
    public int lineNo;

    @Column(nullable = false, length = 64)
    public String sku;

    @Column(nullable = false, length = 200)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public ProductCategory category;

    @Column(nullable = false)
    public int quantity;

    @Column(name = "unit_price_cents", nullable = false)
    public long unitPriceCents;

    @Column(name = "net_weight_grams", precision = 12, scale = 3)
    public BigDecimal netWeightGrams;

    @Column(name = "thc_mg", precision = 12, scale = 3)
    public BigDecimal thcMg;

    @Column(name = "line_total_cents", nullable = false)
    public long lineTotalCents;
}
