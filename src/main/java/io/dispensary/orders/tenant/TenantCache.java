package io.dispensary.orders.tenant;

import io.dispensary.orders.common.database.AfterCommit;
import io.dispensary.orders.common.database.ChangeNotifications;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The callers of API keys and the rules of dispensaries, as read last, so that a create-order does not ask the
 * database for them every time (two of its statements, about a tenth of its CPU). What keeps "a revoked key or
 * changed limit applies at once" is that nothing is kept longer than the instance hears of changes: triggers on
 * {@code api_key} and {@code dispensary} notify {@value #CHANNEL} at every commit that changes them, by whatever
 * path (V7), and on that word every instance forgets all of it. While the notifications are not heard, every
 * lookup goes to the database, as it did before this cache.
 *
 * <p>Only what exists is kept: an unknown key or dispensary is asked for again each time, so nobody can fill the
 * cache with made-up keys, and it holds at most as many entries as there are keys and dispensaries.
 */
@ApplicationScoped
@Startup // subscribed, and so LISTENed, before the first request rather than at it
class TenantCache {

    static final String CHANNEL = "tenant_changed";
    /** A bound that real tenants never reach; past it, lookups simply go to the database. */
    private static final int MAX_ENTRIES = 20_000;

    private final ChangeNotifications notifications;
    private final TransactionSynchronizationRegistry transactions;
    private final Map<String, Caller> callers = new ConcurrentHashMap<>();
    private final Map<String, DispensaryRules> rules = new ConcurrentHashMap<>();
    /**
     * Moves on at every forget, under this object's lock. A lookup that read the database before a change was
     * heard must not store its answer after the forget: it stores only if the generation has not moved since
     * before it read.
     */
    private long generation;

    TenantCache(ChangeNotifications notifications, TransactionSynchronizationRegistry transactions) {
        this.notifications = notifications;
        this.transactions = transactions;
        notifications.subscribe(CHANNEL, payload -> forget());
    }

    /**
     * The caller of a key hash, from memory or else from {@code load}. The load must take its snapshot after this
     * call starts (a statement of its own, in READ COMMITTED), or it could read a change older than the forget.
     */
    Optional<Caller> caller(String keyHash, Function<String, Optional<Caller>> load) {
        return lookUp(callers, keyHash, load);
    }

    /** A dispensary's rules, from memory or else from {@code load}, on the same terms. */
    Optional<DispensaryRules> rules(String dispensaryId, Function<String, Optional<DispensaryRules>> load) {
        return lookUp(rules, dispensaryId, load);
    }

    /**
     * Forgets everything once the current transaction commits, so that the instance that made a change sees it
     * in its next request, before its own notification arrives; other instances forget when theirs does.
     */
    void forgetAfterCommit() {
        AfterCommit.run(transactions, this::forget);
    }

    synchronized void forget() {
        generation++;
        callers.clear();
        rules.clear();
    }

    private <V> Optional<V> lookUp(Map<String, V> kept, String key, Function<String, Optional<V>> load) {
        if (!notifications.listening(CHANNEL)) {
            return load.apply(key);
        }
        V hit = kept.get(key);
        if (hit != null) {
            return Optional.of(hit);
        }
        long before = generation();
        Optional<V> loaded = load.apply(key);
        loaded.ifPresent(value -> keep(kept, key, value, before));
        return loaded;
    }

    private synchronized long generation() {
        return generation;
    }

    private synchronized <V> void keep(Map<String, V> kept, String key, V value, long before) {
        if (generation == before && kept.size() < MAX_ENTRIES) {
            kept.put(key, value);
        }
    }
}
