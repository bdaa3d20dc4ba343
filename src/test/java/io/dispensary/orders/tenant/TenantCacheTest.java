package io.dispensary.orders.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.common.database.ChangeNotifications;
import io.dispensary.orders.order.OrderFixtures;
import io.dispensary.orders.testing.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What keeps cached API keys and dispensary rules honest: every change that commits anywhere is heard, and a gap
 * in hearing forgets everything. "Elsewhere" is a plain SQL change beside the service, as another instance or an
 * operator in psql would make it; the admin API's own changes apply at once (AdminApiTest,
 * OrderAuthorizationTest).
 */
@QuarkusTest
class TenantCacheTest {

    private static final Tenants TENANTS = Tenants.local();
    /** Far longer than a notification takes on loopback (milliseconds) or a lost listener to come back (~1 s). */
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @Inject
    ChangeNotifications notifications;

    @Inject
    TenantCache cache;

    private String dispensaryId;
    private Tenants.Key key;

    /** The payloads of notifications heard, each after the cache's own forget for it (the cache subscribed first). */
    private static final Set<String> HEARD = ConcurrentHashMap.newKeySet();

    private static boolean subscribed;

    @BeforeEach
    void aKeyInUse() throws SQLException {
        awaitStatus(() -> notifications.listening(TenantCache.CHANNEL) ? 1 : 0, 1);
        dispensaryId = TENANTS.newDispensary();
        key = TENANTS.storefront(dispensaryId);
        settle();
        listOrders(); // now it is kept
    }

    /**
     * Waits until the notifications of the changes made so far have been heard: one of the test's own, sent after
     * them, is delivered after them.
     */
    private void settle() throws SQLException {
        if (!subscribed) {
            cache.caller("", h -> Optional.empty()); // the cache exists, and subscribed, before the test does
            notifications.subscribe(TenantCache.CHANNEL, payload -> {
                if (payload != null) {
                    HEARD.add(payload);
                }
            });
            subscribed = true;
        }
        String sentinel = "settle-" + UUID.randomUUID();
        sql("SELECT pg_notify('" + TenantCache.CHANNEL + "', ?)", sentinel);
        awaitStatus(() -> HEARD.contains(sentinel) ? 1 : 0, 1);
    }

    @Test
    void aKeyRevokedElsewhereIsRefusedOnceTheRevokeIsHeard() throws SQLException {
        sql("UPDATE api_key SET revoked_at = now() WHERE id = ?", key.keyId());

        awaitStatus(this::listOrders, 401);
    }

    @Test
    void aKeptKeyIsAnsweredFromMemoryUntilAChangeIsHeard() throws SQLException {
        // The same revoke without its trigger: nothing is said, so the kept caller answers. Only a cache does this.
        revokeSilently(null);
        assertThat(listOrders()).isEqualTo(200);

        sql("NOTIFY " + TenantCache.CHANNEL);

        awaitStatus(this::listOrders, 401);
    }

    @Test
    void aChangeMadeWhileTheListenerWasCutOffIsSeenOnceItIsBack() throws SQLException {
        // Its connection dies, and the revoke says nothing: only forgetting on the gap refuses the key.
        revokeSilently("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE application_name = 'order-service notifications'");

        awaitStatus(this::listOrders, 401);
        awaitStatus(() -> notifications.listening(TenantCache.CHANNEL) ? 1 : 0, 1);
    }

    /** Revokes the key with its table's trigger off, in one transaction, after {@code first} if given. */
    private void revokeSilently(String first) throws SQLException {
        try (Connection connection = Database.outsidePool()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                if (first != null) {
                    statement.execute(first);
                }
                statement.execute("ALTER TABLE api_key DISABLE TRIGGER api_key_changed");
            }
            update(connection, "UPDATE api_key SET revoked_at = now() WHERE id = ?", key.keyId());
            try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE api_key ENABLE TRIGGER api_key_changed");
            }
            connection.commit();
        }
    }

    @Test
    void aRuleChangedElsewhereAppliesToOrdersOnceTheChangeIsHeard() throws SQLException {
        String nineteen = OrderFixtures.pickup(dispensaryId)
                .replace(
                        "1990-12-10",
                        LocalDate.now(ZoneId.of("America/Los_Angeles"))
                                .minusYears(19)
                                .toString());
        assertThat(createOrder(nineteen)).isEqualTo(422); // 21+, and now the rules are kept

        sql("UPDATE dispensary SET minimum_age = 18 WHERE id = ?", dispensaryId);

        awaitStatus(() -> createOrder(nineteen), 201);
    }

    @Test
    void aLookupThatReadBeforeAChangeWasHeardDoesNotKeepWhatItRead() {
        String hash = "hash-" + UUID.randomUUID();
        Caller stale = new Caller("key_stale", Role.STOREFRONT, dispensaryId);
        AtomicInteger loads = new AtomicInteger();

        // The change is heard while the lookup is reading: what it read may be older than the change.
        assertThat(cache.caller(hash, h -> {
                    loads.incrementAndGet();
                    cache.forget();
                    return Optional.of(stale);
                }))
                .contains(stale);
        cache.caller(hash, h -> {
            loads.incrementAndGet();
            return Optional.empty();
        });

        assertThat(loads).as("database reads").hasValue(2);
    }

    @Test
    void onlyWhatExistsIsKept() {
        String hash = "hash-" + UUID.randomUUID();
        AtomicInteger loads = new AtomicInteger();
        Function<String, Optional<Caller>> unknown = h -> {
            loads.incrementAndGet();
            return Optional.empty();
        };
        cache.caller(hash, unknown);
        cache.caller(hash, unknown);
        assertThat(loads).as("database reads of an unknown key").hasValue(2);

        Caller known = new Caller("key_known", Role.STOREFRONT, dispensaryId);
        Function<String, Optional<Caller>> found = h -> {
            loads.incrementAndGet();
            return Optional.of(known);
        };
        cache.caller(hash, found);
        assertThat(cache.caller(hash, found)).contains(known);
        assertThat(loads).as("database reads once it exists").hasValue(3);
    }

    private int listOrders() {
        return TENANTS.as(key.apiKey()).get("/orders").statusCode();
    }

    private int createOrder(String body) {
        return TENANTS.as(key.apiKey())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/orders")
                .statusCode();
    }

    private static void sql(String sql, String... parameters) throws SQLException {
        try (Connection connection = Database.outsidePool()) {
            update(connection, sql, parameters);
        }
    }

    private static void update(Connection connection, String sql, String... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            statement.execute();
        }
    }

    /** Asks until the answer is {@code expected}, failing with the last answer after {@link #PATIENCE}. */
    private static void awaitStatus(IntSupplier answer, int expected) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int last = answer.getAsInt();
        while (last != expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            last = answer.getAsInt();
        }
        assertThat(last).as("the answer after %s", PATIENCE).isEqualTo(expected);
    }
}
