package io.dispensary.orders.tenant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A dispensary: the tenant every storefront key and every order belongs to, with its compliance rules. */
@Entity
@Table(name = "dispensary")
public class Dispensary extends PanacheEntityBase {

    @Id
    @Column(length = 64)
    public String id;

    @Column(nullable = false, length = 200)
    public String name;

    @Column(nullable = false, length = 64)
    public String timezone;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Set<Fulfillment> fulfillment;

    @Column(name = "minimum_age", nullable = false)
    public int minimumAge;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "purchase_limits", nullable = false)
    public Map<CustomerType, PurchaseLimit> purchaseLimits;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    @Column(nullable = false)
    public int version;
}
