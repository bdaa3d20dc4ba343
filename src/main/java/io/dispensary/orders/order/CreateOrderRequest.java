package io.dispensary.orders.order;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dispensary.orders.common.validation.NotBefore;
import io.dispensary.orders.common.validation.SafeText;
import io.dispensary.orders.tenant.CustomerType;
import io.dispensary.orders.tenant.Fulfillment;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** The body of {@code POST /orders}. Totals are not taken from the client: the server computes them. */
public record CreateOrderRequest(
        @NotNull @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "must be 1 to 64 of A-Z, a-z, 0-9, _ and -")
        String dispensaryId,

        @NotNull @Valid Customer customer,
        @NotNull Fulfillment fulfillment,
        @Valid DeliveryAddress deliveryAddress,
        @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid Item> items,
        Boolean test) {

    /** Whether this is a test order; absent means a real one. */
    public boolean isTest() {
        return Boolean.TRUE.equals(test);
    }

    /** Who the order is for. */
    public record Customer(
            @NotBlank @Size(max = 200) @SafeText String name,

            @NotNull @Pattern(regexp = "\\+[1-9][0-9]{1,14}", message = "must be an E.164 number such as +14155550123")
            String phone,

            @Email @Size(max = 254) @SafeText String email,
            // Nobody alive was born earlier; the bound also keeps out dates PostgreSQL cannot store.
            @NotNull @Past @NotBefore("1900-01-01") LocalDate birthDate,
            @NotNull CustomerType type) {}

    /** Where a delivery goes. Answered as part of an order, where an absent line2 is left out, like every field. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryAddress(
            @NotBlank @Size(max = 200) @SafeText String line1,
            @Size(max = 200) @SafeText String line2,
            @NotBlank @Size(max = 100) @SafeText String city,
            @NotBlank @Size(max = 100) @SafeText String region,
            @NotBlank @Size(max = 20) @SafeText String postalCode) {}

    /** One product line. */
    public record Item(
            @NotBlank @Size(max = 64) @SafeText String sku,
            @NotBlank @Size(max = 200) @SafeText String name,
            @NotNull ProductCategory category,
            @NotNull @Min(1) @Max(100) Integer quantity,
            @NotNull @Min(0) @Max(100_000_000) Long unitPriceCents,

            @DecimalMin(value = "0", inclusive = false) @DecimalMax("100000") @Digits(integer = 6, fraction = 3)
            BigDecimal netWeightGrams,

            @DecimalMin(value = "0", inclusive = false) @DecimalMax("100000") @Digits(integer = 6, fraction = 3)
            BigDecimal thcMg) {}
}
