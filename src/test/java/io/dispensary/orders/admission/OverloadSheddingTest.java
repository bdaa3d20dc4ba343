package io.dispensary.orders.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.order.OrderFixtures;
import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.Database;
import io.dispensary.orders.testing.Management;
import io.dispensary.orders.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Admission control: past the in-flight limit a request is answered 503 at once, while the admitted ones are
 * still working, instead of queueing behind them; it stores nothing and can simply be retried.
 */
@QuarkusTest
@TestProfile(OverloadSheddingTest.ThreeInFlight.class)
class OverloadSheddingTest {

    private static final int LIMIT = 3;
    private static final String SHED = "orders_shed_total{reason=\"overloaded\"}";
    private static final String IN_FLIGHT = "orders_requests_in_flight";
    private static final String REJECTED = "orders_rejected_total{reason=\"overloaded\"}";

    /** Room for three requests at a time; the pool and the workers are as usual. */
    public static class ThreeInFlight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The creates are held on a table lock for as long as the test needs, not cut by the budget.
            return Map.of("orders.admission.max-in-flight", String.valueOf(LIMIT), "orders.database.budget", "30s");
        }
    }

    @Test
    void aRequestBeyondTheInFlightLimitIsShedAtOnceStoresNothingAndSucceedsWhenRetried() throws Exception {
        Tenants tenants = Tenants.local();
        String dispensary = tenants.newDispensary();
        String key = tenants.storefrontKey(dispensary);
        String body = OrderFixtures.pickup(dispensary);
        String before = Management.scrape();
        double shedBefore = Management.value(before, SHED);
        double rejectedBefore = Management.valueOrZero(before, REJECTED);

        ExecutorService clients = Executors.newFixedThreadPool(LIMIT + 1);
        List<Future<Response>> admitted = new ArrayList<>();
        try (Connection locker = Database.outsidePool();
                Statement statement = locker.createStatement()) {
            // Creates now wait on this lock inside the service: three of them fill the limit and stay in flight.
            locker.setAutoCommit(false);
            statement.execute("LOCK TABLE customer_order IN EXCLUSIVE MODE");
            for (int i = 0; i < LIMIT; i++) {
                String idempotencyKey = "admitted-" + dispensary + "-" + i;
                admitted.add(clients.submit(() -> tenants.as(key)
                        .contentType(ContentType.JSON)
                        .header("Idempotency-Key", idempotencyKey)
                        .body(body)
                        .post("/orders")));
            }
            Management.awaitValue(IN_FLIGHT, LIMIT);

            // Sent from another thread so that, were it queued instead of shed, the test fails instead of hanging.
            Response shed = clients.submit(() -> tenants.as(key)
                            .contentType(ContentType.JSON)
                            .header("Idempotency-Key", "shed-" + dispensary)
                            .body(body)
                            .post("/orders"))
                    .get(30, TimeUnit.SECONDS);

            assertThat(admitted)
                    .as("the shed answer came while the admitted requests still wait on the lock")
                    .noneMatch(Future::isDone);
            assertThat(shed.statusCode()).isEqualTo(503);
            assertThat(shed.contentType()).startsWith("application/problem+json");
            assertThat(shed.header("Retry-After")).isEqualTo("1");
            assertThat(shed.<String>path("type")).isEqualTo("/problems/overloaded");
            assertThat(shed.<String>path("detail")).contains("limit of 3 requests in flight");
            // Reads are shed as well: the limit is on work in the service, not on one endpoint.
            assertThat(clients.submit(() -> tenants.as(key).get("/orders?dispensaryId=" + dispensary))
                            .get(30, TimeUnit.SECONDS)
                            .statusCode())
                    .isEqualTo(503);
        } finally {
            // Closing the connection ends its transaction and lock, whatever happened above.
            clients.shutdown();
        }
        for (Future<Response> response : admitted) {
            assertThat(response.get(30, TimeUnit.SECONDS).statusCode())
                    .as("every admitted request finished normally")
                    .isEqualTo(201);
        }

        assertThat(Database.count("SELECT count(*) FROM customer_order WHERE dispensary_id = ?", dispensary))
                .as("only the admitted orders were stored")
                .isEqualTo(LIMIT);
        assertThat(Database.count(
                        "SELECT count(*) FROM idempotency_record WHERE idempotency_key = ?", "shed-" + dispensary))
                .as("the shed request left no idempotency record")
                .isZero();
        String scrape = Management.scrape();
        assertThat(Management.value(scrape, SHED) - shedBefore)
                .as("both shed requests were counted")
                .isEqualTo(2);
        // Counted when its response ends, which the client may see first.
        Management.awaitValue(REJECTED, rejectedBefore + 1);
        Management.awaitValue(IN_FLIGHT, 0);

        tenants.as(key)
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", "shed-" + dispensary)
                .body(body)
                .post("/orders")
                .then()
                .statusCode(201);
    }

    @Test
    void aClientThatHangsUpFreesItsSlot() throws Exception {
        Tenants tenants = Tenants.local();
        String dispensary = tenants.newDispensary();
        String key = tenants.storefrontKey(dispensary);
        // Requests that hang up before their body arrives, more than the limit, one after the other.
        for (int i = 0; i < 2 * LIMIT; i++) {
            try (RawHttp http = RawHttp.connect()) {
                http.send("POST /orders HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                        + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
            }
        }
        Management.awaitValue(IN_FLIGHT, 0);
        tenants.as(key)
                .contentType(ContentType.JSON)
                .body(OrderFixtures.pickup(dispensary))
                .post("/orders")
                .then()
                .statusCode(201);
        // A client that goes away is not a fault of the service: no ERROR with a stack trace for it.
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("target/quarkus-test.log")))
                .doesNotContain("Unexpected failure");
    }
}
