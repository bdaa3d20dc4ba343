package io.dispensary.orders.tenant;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** The body of {@code POST /admin/api-keys}: a STOREFRONT key names its dispensary, an INTERNAL key none. */
public record ApiKeyRequest(
        @NotNull Role role,

        @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "must be 1 to 64 of A-Z, a-z, 0-9, _ and -")
        String dispensaryId) {}
