package io.dispensary.orders.idempotency;

import io.dispensary.orders.common.OrdersConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Idempotency keys after draft-ietf-httpapi-idempotency-key-header, scoped to the API key that sent them.
 *
 * <p>A claim is committed on its own before the work starts, so a concurrent duplicate finds it and gets 409
 * at once instead of queueing behind the first request's locks. The response is recorded in the same
 * transaction as the work ({@link #complete}), so there is never an order without its replay, nor a replay
 * without its order; when the work fails, the claim is released and nothing of the request remains.
 */
@ApplicationScoped
public class IdempotencyStore {

    private static final Logger LOG = Logger.getLogger(IdempotencyStore.class);

    private final EntityManager entityManager;
    private final Clock clock;
    private final Duration retention;
    private final Duration lockTimeout;

    public IdempotencyStore(EntityManager entityManager, Clock clock, OrdersConfig config) {
        this.entityManager = entityManager;
        this.clock = clock;
        this.retention = config.idempotency().retention();
        this.lockTimeout = config.idempotency().lockTimeout();
    }

    /** What a claim found. */
    public sealed interface Claim {
    }

    /** The key is ours: do the work, then {@link #complete} or {@link #release}. */
    public record Claimed(String apiKeyId, String key) implements Claim {
    }

    /** The first request finished: answer with its response. */
    public record Replay(int status, String body, String orderNumber) implements Claim {
    }

    /** The first request is still running. */
    public record InFlight() implements Claim {
    }

    /** The key was used with another body. */
    public record Mismatch() implements Claim {
    }

    /** Claims the key for this request, or says why not; one insert, and one read when it exists. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Claim claim(String apiKeyId, String key, String requestHash) {
        Instant now = clock.instant();
        // Take over the row only when it has expired, or when a request with the same body died holding it.
        List<?> claimed = entityManager.createNativeQuery("""
                INSERT INTO idempotency_record (api_key_id, idempotency_key, request_hash, state, locked_until,
                                                created_at, expires_at)
                VALUES (:apiKey, :key, :hash, 'IN_FLIGHT', :lockedUntil, :now, :expiresAt)
                ON CONFLICT (api_key_id, idempotency_key) DO UPDATE
                   SET request_hash = EXCLUDED.request_hash, state = 'IN_FLIGHT',
                       locked_until = EXCLUDED.locked_until, created_at = EXCLUDED.created_at,
                       expires_at = EXCLUDED.expires_at, response_status = NULL, response_body = NULL,
                       order_number = NULL
                 WHERE idempotency_record.expires_at <= EXCLUDED.created_at
                    OR (idempotency_record.state = 'IN_FLIGHT'
                        AND idempotency_record.locked_until <= EXCLUDED.created_at
                        AND idempotency_record.request_hash = EXCLUDED.request_hash)
                RETURNING 1""")
                .setParameter("apiKey", apiKeyId)
                .setParameter("key", key)
                .setParameter("hash", requestHash)
                .setParameter("lockedUntil", Timestamp.from(now.plus(lockTimeout)))
                .setParameter("now", Timestamp.from(now))
                .setParameter("expiresAt", Timestamp.from(now.plus(retention)))
                .getResultList();
        if (!claimed.isEmpty()) {
            return new Claimed(apiKeyId, key);
        }
        List<?> rows = entityManager.createNativeQuery("""
                SELECT request_hash, state, response_status, response_body, order_number
                  FROM idempotency_record WHERE api_key_id = :apiKey AND idempotency_key = :key""")
                .setParameter("apiKey", apiKeyId)
                .setParameter("key", key)
                .getResultList();
        if (rows.isEmpty()) {
            // Released or pruned between the two statements: the client may simply retry.
            return new InFlight();
        }
        Object[] row = (Object[]) rows.get(0);
        if (!requestHash.equals(row[0])) {
            return new Mismatch();
        }
        if ("IN_FLIGHT".equals(row[1])) {
            return new InFlight();
        }
        return new Replay(((Number) row[2]).intValue(), (String) row[3], (String) row[4]);
    }

    /** Records the response; call it inside the transaction that did the work. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void complete(Claimed claim, int status, String body, String orderNumber) {
        entityManager.createNativeQuery("""
                UPDATE idempotency_record
                   SET state = 'DONE', response_status = :status, response_body = :body, order_number = :number
                 WHERE api_key_id = :apiKey AND idempotency_key = :key""")
                .setParameter("status", status)
                .setParameter("body", body)
                .setParameter("number", orderNumber)
                .setParameter("apiKey", claim.apiKeyId())
                .setParameter("key", claim.key())
                .executeUpdate();
    }

    /** Gives the key back after the work failed, so a retry runs the request again. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void release(Claimed claim) {
        entityManager.createNativeQuery("""
                DELETE FROM idempotency_record
                 WHERE api_key_id = :apiKey AND idempotency_key = :key AND state = 'IN_FLIGHT'""")
                .setParameter("apiKey", claim.apiKeyId())
                .setParameter("key", claim.key())
                .executeUpdate();
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void scheduledPrune() {
        pruneExpired();
    }

    /** Deletes expired keys; expired keys already behave as new, this only keeps the table small. */
    @Transactional
    public int pruneExpired() {
        int deleted = entityManager.createNativeQuery("DELETE FROM idempotency_record WHERE expires_at <= :now")
                .setParameter("now", Timestamp.from(clock.instant()))
                .executeUpdate();
        if (deleted > 0) {
            LOG.debugf("Pruned %d expired idempotency keys", deleted);
        }
        return deleted;
    }
}
