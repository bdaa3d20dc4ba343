package io.dispensary.orders.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import java.math.BigDecimal;

/**
 * Per-order limits for one customer type. A missing limit means none. Flower and pre-rolls count toward
 * {@code flowerGrams}, concentrates and vapes toward {@code concentrateGrams}, edibles toward {@code edibleThcMg}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PurchaseLimit(
        @DecimalMin("0") @DecimalMax("1000000") BigDecimal flowerGrams,
        @DecimalMin("0") @DecimalMax("1000000") BigDecimal concentrateGrams,
        @DecimalMin("0") @DecimalMax("1000000") BigDecimal edibleThcMg) {
}
