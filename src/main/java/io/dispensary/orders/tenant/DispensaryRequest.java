package io.dispensary.orders.tenant;

import io.dispensary.orders.common.validation.SafeText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Map;
import java.util.Set;

/** The body of {@code PUT /admin/dispensaries/{id}}. */
public record DispensaryRequest(
        @NotBlank @Size(max = 200) @SafeText String name,
        @NotBlank @Size(max = 64) String timezone,
        @NotEmpty Set<@NotNull Fulfillment> fulfillment,
        @NotNull @Min(18) @Max(21) Integer minimumAge,
        Map<@NotNull CustomerType, @NotNull @Valid PurchaseLimit> purchaseLimits) {}
