package io.dispensary.orders.idempotency;

import io.dispensary.orders.common.OrdersConfig;
import io.dispensary.orders.common.database.Jdbc;
import io.dispensary.orders.common.database.Write;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Idempotency keys after draft-ietf-httpapi-idempotency-key-header, scoped to the API key that sent them.
 *
 * <p>Everything happens in the caller's transaction, on its one connection, in plain JDBC like the order's own
 * insert (order.OrderStore), since these are create-order's statements: a transaction-scoped advisory lock
 * on the key tells a concurrent duplicate (409 at once, no waiting behind the first request's locks), the stored
 * response is written in the same round trip as the order, and a request that fails or is shed leaves nothing
 * behind: its lock dies with its transaction, even when its process dies.
 */
@ApplicationScoped
public class IdempotencyStore {

    private static final Logger LOG = Logger.getLogger(IdempotencyStore.class);

    /** The transaction's lock on the key, then the key's stored response if it has one. */
    private static final String CLAIM = """
            SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0));
            SELECT request_hash, response_status, response_body, order_number
              FROM idempotency_record
             WHERE api_key_id = ? AND idempotency_key = ? AND expires_at > ?""";

    /** The response under its key. An expired row of the same key may still be there until the pruner runs: replaced. */
    private static final String COMPLETE = """
            INSERT INTO idempotency_record (api_key_id, idempotency_key, request_hash, response_status,
                                            response_body, order_number, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (api_key_id, idempotency_key) DO UPDATE
               SET request_hash = EXCLUDED.request_hash, response_status = EXCLUDED.response_status,
                   response_body = EXCLUDED.response_body, order_number = EXCLUDED.order_number,
                   created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at""";

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration retention;

    public IdempotencyStore(DataSource dataSource, Clock clock, OrdersConfig config) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.retention = config.idempotency().retention();
    }

    /** What a claim found. */
    public sealed interface Claim {}

    /** The key is free and now held by this transaction: do the work, then {@link #complete}. */
    public record Claimed(String apiKeyId, String key, String requestHash) implements Claim {}

    /** The first request finished within the retention: answer with its response. */
    public record Replay(int status, String body, String orderNumber) implements Claim {}

    /** Another request with this key is running right now. */
    public record InFlight() implements Claim {}

    /** The key was used with another body. */
    public record Mismatch() implements Claim {}

    /** Claims the key for this transaction, or says why not. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Claim claim(String apiKeyId, String key, String requestHash) {
        return Jdbc.call(dataSource, "claim idempotency key", connection -> {
            // Two statements in one round trip (the driver sends both, then one Sync). The lookup is a statement of
            // its own, so PostgreSQL takes its snapshot after the lock is granted and it sees what the lock's last
            // holder committed; one statement holding both would read from a snapshot older than the lock.
            try (PreparedStatement claim = connection.prepareStatement(CLAIM)) {
                // Key ids never contain a colon, so this names one (API key, idempotency key) pair.
                claim.setString(1, apiKeyId + ":" + key);
                claim.setString(2, apiKeyId);
                claim.setString(3, key);
                claim.setObject(4, timestamp(clock.instant()), Types.TIMESTAMP_WITH_TIMEZONE);
                claim.execute();
                try (ResultSet row = claim.getResultSet()) {
                    row.next();
                    if (!row.getBoolean(1)) {
                        return new InFlight();
                    }
                }
                claim.getMoreResults();
                try (ResultSet row = claim.getResultSet()) {
                    if (!row.next()) {
                        return new Claimed(apiKeyId, key, requestHash);
                    }
                    if (!requestHash.equals(row.getString(1))) {
                        return new Mismatch();
                    }
                    return new Replay(row.getInt(2), row.getString(3), row.getString(4));
                }
            }
        });
    }

    /**
     * The write that stores the response under the claimed key, for the service to send with the work's own
     * writes (common.database.Writes), in the transaction that did the work.
     */
    public Write completion(Claimed claim, int status, String body, String orderNumber) {
        Instant now = clock.instant();
        return new Write("store the response of idempotency key " + claim.key(), COMPLETE, (connection, insert, i) -> {
            insert.setString(i + 1, claim.apiKeyId());
            insert.setString(i + 2, claim.key());
            insert.setString(i + 3, claim.requestHash());
            insert.setInt(i + 4, status);
            insert.setString(i + 5, body);
            insert.setString(i + 6, orderNumber);
            insert.setObject(i + 7, timestamp(now), Types.TIMESTAMP_WITH_TIMEZONE);
            insert.setObject(i + 8, timestamp(now.plus(retention)), Types.TIMESTAMP_WITH_TIMEZONE);
            return i + 8;
        });
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPrune() {
        pruneExpired();
    }

    /** Rows one prune statement deletes at most: each stays far inside the database budget's statement timeout. */
    static final int PRUNE_BATCH = 2000;

    /**
     * Deletes expired keys; expired keys already behave as new, this only keeps the table small. In batches, each
     * its own transaction: ten minutes of keys at a thousand orders a second is 600,000 rows, which one statement
     * could not delete within orders.database.budget, and which one transaction would hold locked for seconds.
     */
    public int pruneExpired() {
        int deleted = 0;
        int batch;
        do {
            batch = QuarkusTransaction.requiringNew().call(this::pruneBatch);
            deleted += batch;
        } while (batch == PRUNE_BATCH);
        if (deleted > 0) {
            LOG.debugf("Pruned %d expired idempotency keys", deleted);
        }
        return deleted;
    }

    private int pruneBatch() {
        return Jdbc.call(dataSource, "prune idempotency keys", connection -> {
            try (PreparedStatement delete = connection.prepareStatement("""
                        DELETE FROM idempotency_record
                         WHERE ctid = ANY (ARRAY(SELECT ctid FROM idempotency_record WHERE expires_at <= ? LIMIT ?))
                           AND expires_at <= ?""")) {
                // By ctid, and checked again: a key that a new request renewed meanwhile is another row version.
                OffsetDateTime now = timestamp(clock.instant());
                delete.setObject(1, now, Types.TIMESTAMP_WITH_TIMEZONE);
                delete.setInt(2, PRUNE_BATCH);
                delete.setObject(3, now, Types.TIMESTAMP_WITH_TIMEZONE);
                return delete.executeUpdate();
            }
        });
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
