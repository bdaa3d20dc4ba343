package io.dispensary.orders.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.order.OrderFixtures;
import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The pool-exhaustion incident, replayed: far more concurrent work than connections. Here the excess must fail
 * fast and loudly (503, Retry-After, counted), the rest must succeed, and nothing may be lost, duplicated or
 * half-written.
 */
@QuarkusTest
@TestProfile(PoolExhaustionTest.PoolOfTwo.class)
class PoolExhaustionTest {

    private static final int REQUESTS = 50;
    private static final Duration BOUND = Duration.ofSeconds(1);
    /** A generous allowance for a loaded 2-core machine: what matters is "about the bound", not "until timeouts". */
    private static final Duration SLACK = Duration.ofSeconds(4);

    private static final Duration SLOW_DATABASE = Duration.ofSeconds(3);

    /** Two connections, a one-second bound on waiting for one. */
    public static class PoolOfTwo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.datasource.jdbc.max-size",
                    "2",
                    "quarkus.datasource.jdbc.min-size",
                    "0",
                    "quarkus.datasource.jdbc.acquisition-timeout",
                    "1S",
                    // The database is made slow (3 s) on purpose: what is measured is the pool's bound, not the budget.
                    "orders.database.budget",
                    "30s");
        }
    }

    @Test
    void withAPoolOfTwoFiftySlowCreatesShedTheExcessFastAndLoseNothing() throws Exception {
        Tenants tenants = Tenants.local();
        String dispensary = tenants.newDispensary();
        String key = tenants.storefrontKey(dispensary);
        String body = OrderFixtures.pickup(dispensary);

        List<Outcome> outcomes = new ArrayList<>();
        // A test connection outside the pool makes the database slow: inserts into orders wait on its lock.
        try (Connection slow = Database.outsidePool();
                Statement statement = slow.createStatement()) {
            slow.setAutoCommit(false);
            statement.execute("LOCK TABLE customer_order IN EXCLUSIVE MODE");
            ExecutorService pool = Executors.newFixedThreadPool(REQUESTS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Outcome>> futures = new ArrayList<>();
            try {
                for (int i = 0; i < REQUESTS; i++) {
                    String idempotencyKey = "shed-" + dispensary + "-" + i;
                    futures.add(pool.submit(() -> {
                        start.await();
                        long began = System.nanoTime();
                        Response response = tenants.as(key)
                                .contentType(ContentType.JSON)
                                .header("Idempotency-Key", idempotencyKey)
                                .body(body)
                                .post("/orders");
                        return new Outcome(
                                idempotencyKey,
                                response.statusCode(),
                                response.header("Retry-After"),
                                response.contentType(),
                                response.statusCode() == 201 ? response.path("orderNumber") : null,
                                Duration.ofNanos(System.nanoTime() - began));
                    }));
                }
                start.countDown();
                Thread.sleep(SLOW_DATABASE.toMillis());
                slow.commit();
                for (Future<Outcome> future : futures) {
                    outcomes.add(future.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }

        List<Outcome> created = outcomes.stream().filter(o -> o.status == 201).toList();
        List<Outcome> shed = outcomes.stream().filter(o -> o.status == 503).toList();
        assertThat(created.size() + shed.size())
                .as("every request is either stored or shed")
                .isEqualTo(REQUESTS);
        assertThat(created).as("the work the pool could hold succeeded").isNotEmpty();
        assertThat(shed).as("the excess was shed").isNotEmpty();
        for (Outcome outcome : shed) {
            assertThat(outcome.retryAfter).isNotNull();
            assertThat(outcome.contentType).startsWith("application/problem+json");
            assertThat(outcome.elapsed)
                    .as("shed about the bound, not after a timeout")
                    .isLessThan(BOUND.plus(SLACK));
        }

        Set<String> numbers = new HashSet<>();
        created.forEach(o -> numbers.add(o.orderNumber));
        assertThat(numbers).as("no duplicates").hasSize(created.size());
        assertThat(Database.count("SELECT count(*) FROM customer_order WHERE dispensary_id = ?", dispensary))
                .as("every 201 is stored, nothing else")
                .isEqualTo(created.size());
        for (Outcome outcome : shed) {
            assertThat(Database.count("SELECT count(*) FROM idempotency_record WHERE idempotency_key = ?", outcome.key))
                    .as("a shed request leaves no idempotency record")
                    .isZero();
        }
    }

    private record Outcome(
            String key, int status, String retryAfter, String contentType, String orderNumber, Duration elapsed) {}
}
