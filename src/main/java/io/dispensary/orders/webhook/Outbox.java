package io.dispensary.orders.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dispensary.orders.common.database.AfterCommit;
import io.dispensary.orders.common.database.Write;
import io.dispensary.orders.common.database.Writes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Where order changes become events: called inside the order's own transaction, so an event exists exactly when
 * its change committed (MANDATORY: outside a transaction this is a bug, not a lost event). The body is written now
 * and sent as it is on every attempt, so every retry carries the same bytes, signature input and webhook-id.
 */
@ApplicationScoped
public class Outbox {

    /** The delivery body: thin on purpose, no personal data. */
    record Body(String type, Instant timestamp, Data data) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Data(
            String orderNumber, String dispensaryId, String status, String previousStatus, int version, boolean test) {}

    private final DeliveryStore deliveries;
    private final ObjectMapper json;
    private final TransactionSynchronizationRegistry transactions;
    private final Dispatcher dispatcher;
    private final Writes writes;

    Outbox(
            DeliveryStore deliveries,
            ObjectMapper json,
            TransactionSynchronizationRegistry transactions,
            Dispatcher dispatcher,
            Writes writes) {
        this.deliveries = deliveries;
        this.json = json;
        this.transactions = transactions;
        this.dispatcher = dispatcher;
        this.writes = writes;
    }

    /** Writes the event now, in the change's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(OrderEvent event) {
        writes.send(List.of(recording(event)));
    }

    /**
     * The event's write, for a service that sends it with the change's own writes (common.database.Writes) in the
     * change's transaction.
     */
    public Write recording(OrderEvent event) {
        String id = "evt_" + UUID.randomUUID().toString().replace("-", "");
        return deliveries.appending(id, event, body(event), fannedOut -> {
            if (fannedOut > 0) {
                // Workers poll, but a delivery should not wait for the next poll: wake this instance's once
                // committed.
                AfterCommit.run(transactions, dispatcher::wake);
            }
        });
    }

    String body(OrderEvent event) {
        try {
            return json.writeValueAsString(new Body(
                    event.type().wireName(),
                    event.occurredAt(),
                    new Data(
                            event.orderNumber(),
                            event.dispensaryId(),
                            event.status(),
                            event.previousStatus(),
                            event.version(),
                            event.test())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the event", e);
        }
    }
}
