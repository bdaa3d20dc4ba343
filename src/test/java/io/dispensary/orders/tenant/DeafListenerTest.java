package io.dispensary.orders.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.common.database.ChangeNotifications;
import io.dispensary.orders.testing.Database;
import io.dispensary.orders.testing.Eventually;
import io.dispensary.orders.testing.PostgresProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A listener whose LISTEN is accepted and whose notifications never come, as behind a pooler in transaction
 * mode, must not pass for one that hears: the cache is not trusted, not even for the seconds after each
 * reconnect, and a change that says nothing still applies at once.
 */
@QuarkusTest
@TestProfile(DeafListenerTest.ThroughAProxy.class)
class DeafListenerTest {

    static final PostgresProxy PROXY = PostgresProxy.start();

    public static class ThroughAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("orders.database.notifications-jdbc-url", PROXY.jdbcUrl());
        }
    }

    private static final Tenants TENANTS = Tenants.local();

    @Inject
    ChangeNotifications notifications;

    @AfterEach
    void hearingAgain() {
        PROXY.deaf(false);
        await(() -> notifications.listening(TenantCache.CHANNEL), 15_000);
    }

    @Test
    void aListenerThatStopsHearingItselfStopsTrustingTheCacheAndKeepsDistrustingItWhileDeaf() throws SQLException {
        await(() -> notifications.listening(TenantCache.CHANNEL), 15_000);
        String dispensaryId = TENANTS.newDispensary();
        Tenants.Key key = TENANTS.storefront(dispensaryId);
        assertThat(list(key)).isEqualTo(200); // now it is kept

        PROXY.deaf(true);
        // The probe's deadline is 3 s; one more second for the probe to be due.
        await(() -> !notifications.listening(TenantCache.CHANNEL), 10_000);
        // Reconnecting through the same deaf path, it LISTENs again and hears nothing: for two probe deadlines
        // and more, it must never count as listening.
        long until = System.nanoTime() + 8_000_000_000L;
        while (System.nanoTime() < until) {
            assertThat(notifications.listening(TenantCache.CHANNEL))
                    .as("listening while deaf")
                    .isFalse();
            Eventually.pause(25);
        }

        revokeSilently(key);
        assertThat(list(key)).as("a revoke that notified nobody, while deaf").isEqualTo(401);
    }

    private static int list(Tenants.Key key) {
        return TENANTS.as(key.apiKey()).get("/orders").statusCode();
    }

    /** The revoke with its table's trigger off: nothing is notified, so only a database read can see it. */
    private static void revokeSilently(Tenants.Key key) throws SQLException {
        try (Connection connection = Database.outsidePool()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE api_key DISABLE TRIGGER api_key_changed");
            }
            try (PreparedStatement statement =
                    connection.prepareStatement("UPDATE api_key SET revoked_at = now() WHERE id = ?")) {
                statement.setString(1, key.keyId());
                statement.execute();
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE api_key ENABLE TRIGGER api_key_changed");
            }
            connection.commit();
        }
    }

    private static void await(BooleanSupplier condition, long millis) {
        assertThat(Eventually.holds(condition, millis))
                .as("after %d ms", millis)
                .isTrue();
    }
}
