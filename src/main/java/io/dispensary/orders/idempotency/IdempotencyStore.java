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
 * <p>Everything happens in the caller's transaction, on its one connection: a transaction-scoped advisory lock
 * on the key tells a concurrent duplicate (409 at once, no waiting behind the first request's locks), the stored
 * response is written with the order, and a request that fails or is shed leaves nothing behind: its lock
 * dies with its transaction, even when its process dies.
 */
@ApplicationScoped
public class IdempotencyStore {

    private static final Logger LOG = Logger.getLogger(IdempotencyStore.class);

    private final EntityManager entityManager;
    private final Clock clock;
    private final Duration retention;

    public IdempotencyStore(EntityManager entityManager, Clock clock, OrdersConfig config) {
        this.entityManager = entityManager;
        this.clock = clock;
        this.retention = config.idempotency().retention();
    }

    /** What a claim found. */
    public sealed interface Claim {
    }

    /** The key is free and now held by this transaction: do the work, then {@link #complete}. */
    public record Claimed(String apiKeyId, String key, String requestHash) implements Claim {
    }

    /** The first request finished within the retention: answer with its response. */
    public record Replay(int status, String body, String orderNumber) implements Claim {
    }

    /** Another request with this key is running right now. */
    public record InFlight() implements Claim {
    }

    /** The key was used with another body. */
    public record Mismatch() implements Claim {
    }

    /** Claims the key for this transaction, or says why not. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Claim claim(String apiKeyId, String key, String requestHash) {
        Boolean locked = (Boolean) entityManager.createNativeQuery(
                "SELECT pg_try_advisory_xact_lock(hashtextextended(:lockKey, 0))")
                // Key ids never contain a colon, so this names one (API key, idempotency key) pair.
                .setParameter("lockKey", apiKeyId + ":" + key)
                .getSingleResult();
        if (!locked) {
            return new InFlight();
        }
        List<?> rows = entityManager.createNativeQuery("""
                SELECT request_hash, response_status, response_body, order_number
                  FROM idempotency_record
                 WHERE api_key_id = :apiKey AND idempotency_key = :key AND expires_at > :now""")
                .setParameter("apiKey", apiKeyId)
                .setParameter("key", key)
                .setParameter("now", Timestamp.from(clock.instant()))
                .getResultList();
        if (rows.isEmpty()) {
            return new Claimed(apiKeyId, key, requestHash);
        }
        Object[] row = (Object[]) rows.get(0);
        if (!requestHash.equals(row[0])) {
            return new Mismatch();
        }
        return new Replay(((Number) row[1]).intValue(), (String) row[2], (String) row[3]);
    }

    /** Stores the response under the claimed key, in the transaction that did the work. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void complete(Claimed claim, int status, String body, String orderNumber) {
        Instant now = clock.instant();
        // An expired row of the same key may still be there until the pruner runs: replace it.
        entityManager.createNativeQuery("""
                INSERT INTO idempotency_record (api_key_id, idempotency_key, request_hash, response_status,
                                                response_body, order_number, created_at, expires_at)
                VALUES (:apiKey, :key, :hash, :status, :body, :number, :now, :expiresAt)
                ON CONFLICT (api_key_id, idempotency_key) DO UPDATE
                   SET request_hash = EXCLUDED.request_hash, response_status = EXCLUDED.response_status,
                       response_body = EXCLUDED.response_body, order_number = EXCLUDED.order_number,
                       created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at""")
                .setParameter("apiKey", claim.apiKeyId())
                .setParameter("key", claim.key())
                .setParameter("hash", claim.requestHash())
                .setParameter("status", status)
                .setParameter("body", body)
                .setParameter("number", orderNumber)
                .setParameter("now", Timestamp.from(now))
                .setParameter("expiresAt", Timestamp.from(now.plus(retention)))
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
