package io.dispensary.orders.order;

import io.dispensary.orders.common.validation.SafeText;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /orders/{orderNumber}/transitions}. */
public record TransitionRequest(
        @NotNull OrderStatus to,
        @Size(min = 1, max = 500) @SafeText String reason) {}
