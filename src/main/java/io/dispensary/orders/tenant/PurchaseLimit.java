package io.dispensary.orders.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import java.math.BigDecimal;

/**
 * Per-order limits for one customer type. A missing limit means none. Flower and pre-rolls count toward
 * {@code flowerGrams}, concentrates and vapes toward {@code concentrateGrams}, edibles toward {@code edibleThcMg}.
 * Three decimals at most, like the order lines they are compared with; without the bound a limit of 1E-20000
 * passed validation and PostgreSQL's numeric refused it on insert (a 500).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PurchaseLimit(
        @DecimalMin("0") @DecimalMax("1000000") @Digits(integer = 7, fraction = 3)
        BigDecimal flowerGrams,

        @DecimalMin("0") @DecimalMax("1000000") @Digits(integer = 7, fraction = 3)
        BigDecimal concentrateGrams,

        @DecimalMin("0") @DecimalMax("1000000") @Digits(integer = 7, fraction = 3)
        BigDecimal edibleThcMg) {}
