package io.dispensary.orders.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** One delivery: which event, where it stands, what the receiver last said and when it is tried next. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryView(
        String eventId,
        String type,
        String orderNumber,
        String status,
        int attempts,
        Integer lastStatusCode,
        String lastError,
        Instant nextAttemptAt,
        Instant createdAt,
        Instant deliveredAt) {

    static DeliveryView of(DeliveryStore.Row row) {
        return new DeliveryView(
                row.eventId(),
                row.type(),
                row.orderNumber(),
                row.state().column(),
                row.attempts(),
                row.lastStatusCode(),
                row.lastError(),
                row.nextAttemptAt(),
                row.createdAt(),
                row.deliveredAt());
    }
}
