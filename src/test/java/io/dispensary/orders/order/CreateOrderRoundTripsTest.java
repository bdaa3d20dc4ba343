package io.dispensary.orders.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.common.database.ChangeNotifications;
import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.Eventually;
import io.dispensary.orders.testing.PostgresProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Create-order's cost is its round trips (loadtest/RESULTS.md, issue 20): the pool's connections go through a proxy
 * that reads the wire protocol, and a create's transaction must take the round trips its design says, no more.
 * A store call added to the create path, or a write that leaves the shared round trip, fails here.
 */
@QuarkusTest
@TestProfile(CreateOrderRoundTripsTest.ThroughAProxy.class)
class CreateOrderRoundTripsTest {

    static final PostgresProxy PROXY = PostgresProxy.start();

    public static class ThroughAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.url", PROXY.jdbcUrl());
        }
    }

    private static final Tenants TENANTS = Tenants.local();

    @Inject
    ChangeNotifications notifications;

    private String dispensary;
    private String storefrontKey;

    @BeforeEach
    void aStorefrontWhoseRulesAreKept() {
        // Until the listener hears itself, the tenant cache is bypassed and the rules are one more round trip.
        assertThat(Eventually.holds(() -> notifications.listening(Tenants.CACHE_CHANNEL), 15_000))
                .as("listening")
                .isTrue();
        dispensary = TENANTS.newDispensary();
        storefrontKey = TENANTS.storefrontKey(dispensary);
        TENANTS.createOrder(storefrontKey, OrderFixtures.pickup(dispensary));
    }

    @Test
    void aCreateWithAnIdempotencyKeyTakesItsClaimItsNumberItsWritesAndItsCommit() {
        int before = PROXY.transactions().size();
        create(UUID.randomUUID().toString());

        List<PostgresProxy.RoundTrip> trips = theCreateAfter(before).roundTrips();
        assertThat(trips).as("round trips of %s", trips).hasSize(4);
        assertThat(trips.get(0).mentions("pg_try_advisory_xact_lock"))
                .as("first: the claim")
                .isTrue();
        assertThat(trips.get(0).mentions("FROM idempotency_record"))
                .as("first: the stored response")
                .isTrue();
        assertThat(trips.get(1).mentions("nextval")).as("second: the number").isTrue();
        assertThat(trips.get(2).statements())
                .as("third: the order, its event and its response")
                .hasSize(3)
                .anyMatch(s -> s.contains("INSERT INTO customer_order"))
                .anyMatch(s -> s.contains("INSERT INTO order_event"))
                .anyMatch(s -> s.contains("INSERT INTO idempotency_record"));
        assertThat(trips.get(3).statements()).as("fourth: the commit").containsExactly("COMMIT");
    }

    @Test
    void aCreateWithoutAnIdempotencyKeyTakesItsNumberItsWritesAndItsCommit() {
        int before = PROXY.transactions().size();
        create(null);

        List<PostgresProxy.RoundTrip> trips = theCreateAfter(before).roundTrips();
        assertThat(trips).as("round trips of %s", trips).hasSize(3);
        assertThat(trips.get(0).mentions("nextval")).as("first: the number").isTrue();
        assertThat(trips.get(1).statements())
                .as("second: the order and its event")
                .hasSize(2)
                .anyMatch(s -> s.contains("INSERT INTO customer_order"))
                .anyMatch(s -> s.contains("INSERT INTO order_event"));
        assertThat(trips.get(2).statements()).as("third: the commit").containsExactly("COMMIT");
    }

    private String create(String idempotencyKey) {
        var request = TENANTS.as(storefrontKey).contentType(ContentType.JSON).body(OrderFixtures.pickup(dispensary));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/orders").then().statusCode(201).extract().path("orderNumber");
    }

    /**
     * The one committed transaction since {@code before} that wrote an order: only the test creates orders here.
     * Waits a moment, since the proxy records a round trip as it passes it on and the answer can reach the test
     * first.
     */
    private static PostgresProxy.Transaction theCreateAfter(int before) {
        Eventually.holds(() -> !creates(before).isEmpty(), 2_000);
        List<PostgresProxy.Transaction> found = creates(before);
        assertThat(found).as("committed creates").hasSize(1);
        return found.get(0);
    }

    private static List<PostgresProxy.Transaction> creates(int before) {
        return PROXY.transactions().stream()
                .skip(before)
                .filter(t -> t.mentions("INSERT INTO customer_order") && t.mentions("COMMIT"))
                .toList();
    }
}
