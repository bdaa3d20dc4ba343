package io.dispensary.orders.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.dispensary.orders.order.OrderFixtures;
import io.dispensary.orders.tenant.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IdempotencyTest {

    private static final Tenants TENANTS = Tenants.local();
    private static final int CONCURRENT_DUPLICATES = 50;

    @Inject
    DataSource dataSource;

    @Inject
    IdempotencyStore store;

    private String dispensary;
    private String key;
    private String keyId;

    @BeforeEach
    void newStorefront() {
        dispensary = TENANTS.newDispensary();
        Tenants.Key created = TENANTS.storefront(dispensary);
        key = created.apiKey();
        keyId = created.keyId();
    }

    @Test
    void aRetryWithTheSameKeyAndBodyReplaysTheFirstResponse() {
        String idempotencyKey = UUID.randomUUID().toString();
        Response first = post(idempotencyKey, OrderFixtures.pickup(dispensary));
        first.then().statusCode(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();

        // Same body, other whitespace and member order: still the same request.
        String reformatted =
                OrderFixtures.pickup(dispensary).replace("\n", " ").replace("\"fulfillment\": \"PICKUP\",", "");
        reformatted = reformatted.replace("\"customer\":", "\"fulfillment\": \"PICKUP\", \"customer\":");
        Response replay = post(idempotencyKey, reformatted);

        replay.then()
                .statusCode(201)
                .header("Idempotent-Replayed", "true")
                .header("Location", first.header("Location"));
        assertThat(replay.asString()).isEqualTo(first.asString());
        // The same quantities written another way (a client that re-serialises between tries): still the same.
        String respelled = OrderFixtures.pickup(dispensary)
                .replace("\"netWeightGrams\": 3.5", "\"netWeightGrams\": 3.50")
                .replace("\"thcMg\": 100", "\"thcMg\": 1.00E2");
        assertThat(respelled).isNotEqualTo(OrderFixtures.pickup(dispensary));
        post(idempotencyKey, respelled)
                .then()
                .statusCode(201)
                .header("Idempotent-Replayed", "true")
                .header("Location", first.header("Location"));
        assertThat(ordersOf(dispensary)).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndCreatesNothing() {
        String idempotencyKey = UUID.randomUUID().toString();
        post(idempotencyKey, OrderFixtures.pickup(dispensary)).then().statusCode(201);

        post(idempotencyKey, OrderFixtures.delivery(dispensary))
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/idempotency-key-reused"));
        assertThat(ordersOf(dispensary)).isEqualTo(1);
    }

    @Test
    void aKeyStillInFlightGets409WithRetryAfterAndIsFreeOnceThatRequestDies() throws SQLException {
        String idempotencyKey = UUID.randomUUID().toString();
        // What a first request holds while it runs: the key's advisory lock, in its open transaction.
        try (Connection firstRequest = dataSource.getConnection()) {
            firstRequest.setAutoCommit(false);
            try (PreparedStatement lock =
                    firstRequest.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, keyId + ":" + idempotencyKey);
                lock.execute();
            }

            post(idempotencyKey, OrderFixtures.pickup(dispensary))
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .header("Retry-After", "1")
                    .body("type", equalTo("/problems/idempotency-key-in-use"));
            assertThat(ordersOf(dispensary)).isZero();

            // The first request dies: its transaction rolls back, and its lock with it.
            firstRequest.rollback();
        }
        post(idempotencyKey, OrderFixtures.pickup(dispensary)).then().statusCode(201);
        assertThat(ordersOf(dispensary)).isEqualTo(1);
    }

    @Test
    void fiftyConcurrentRequestsWithOneKeyCreateExactlyOneOrder() throws Exception {
        String idempotencyKey = UUID.randomUUID().toString();
        String body = OrderFixtures.pickup(dispensary);
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_DUPLICATES);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> responses = new ArrayList<>();
        try {
            for (int i = 0; i < CONCURRENT_DUPLICATES; i++) {
                responses.add(pool.submit(() -> {
                    start.await();
                    return post(idempotencyKey, body);
                }));
            }
            start.countDown();
            List<String> numbers = new ArrayList<>();
            int conflicts = 0;
            for (Future<Response> future : responses) {
                Response response = future.get();
                if (response.statusCode() == 201) {
                    numbers.add(response.path("orderNumber"));
                } else {
                    assertThat(response.statusCode()).as(response.asString()).isEqualTo(409);
                    conflicts++;
                }
            }
            assertThat(numbers).isNotEmpty();
            assertThat(numbers).as("every 201 names the one order").containsOnly(numbers.get(0));
            assertThat(numbers.size() + conflicts).isEqualTo(CONCURRENT_DUPLICATES);
        } finally {
            pool.shutdownNow();
        }
        assertThat(ordersOf(dispensary)).isEqualTo(1);
    }

    @Test
    void keysAreScopedToTheApiKeyThatSentThem() {
        String idempotencyKey = UUID.randomUUID().toString();
        String otherKey = TENANTS.storefrontKey(dispensary);
        String first = post(idempotencyKey, OrderFixtures.pickup(dispensary))
                .then()
                .statusCode(201)
                .extract()
                .path("orderNumber");
        String second = TENANTS.as(otherKey)
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", idempotencyKey)
                .body(OrderFixtures.pickup(dispensary))
                .post("/orders")
                .then()
                .statusCode(201)
                .extract()
                .path("orderNumber");

        assertThat(second).isNotEqualTo(first);
        assertThat(ordersOf(dispensary)).isEqualTo(2);
    }

    @Test
    void aFailedRequestLeavesNoKeyBehindSoTheCorrectedRetryRuns() throws SQLException {
        String idempotencyKey = UUID.randomUUID().toString();
        String underage = OrderFixtures.pickup(dispensary).replace("1990-12-10", "2015-01-01");
        post(idempotencyKey, underage).then().statusCode(422);
        assertThat(count(
                        "SELECT count(*) FROM idempotency_record WHERE api_key_id = ? AND idempotency_key = ?",
                        keyId,
                        idempotencyKey))
                .isZero();

        post(idempotencyKey, OrderFixtures.pickup(dispensary)).then().statusCode(201);
    }

    @Test
    void keysOutsideOneToTwoHundredFiftyFiveCharactersAreRefused() {
        post("", OrderFixtures.pickup(dispensary))
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("Idempotency-Key"));
        post("k".repeat(256), OrderFixtures.pickup(dispensary)).then().statusCode(400);
        post("k".repeat(255), OrderFixtures.pickup(dispensary)).then().statusCode(201);
        assertThat(ordersOf(dispensary)).isEqualTo(1);
    }

    @Test
    void expiredKeysArePrunedAndBehaveAsNew() throws SQLException {
        String idempotencyKey = UUID.randomUUID().toString();
        String first = post(idempotencyKey, OrderFixtures.pickup(dispensary))
                .then()
                .statusCode(201)
                .extract()
                .path("orderNumber");
        execute(
                "UPDATE idempotency_record SET expires_at = now() - interval '1 second'"
                        + " WHERE api_key_id = ? AND idempotency_key = ?",
                keyId,
                idempotencyKey);

        // An expired key is a new key, even before the pruner runs.
        String second = post(idempotencyKey, OrderFixtures.delivery(dispensary))
                .then()
                .statusCode(201)
                .extract()
                .path("orderNumber");
        assertThat(second).isNotEqualTo(first);

        execute(
                "UPDATE idempotency_record SET expires_at = now() - interval '1 second'"
                        + " WHERE api_key_id = ? AND idempotency_key = ?",
                keyId,
                idempotencyKey);
        assertThat(store.pruneExpired()).isGreaterThanOrEqualTo(1);
        assertThat(count("SELECT count(*) FROM idempotency_record WHERE api_key_id = ?", keyId))
                .isZero();
    }

    private Response post(String idempotencyKey, String body) {
        return TENANTS.as(key)
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", idempotencyKey)
                .body(body)
                .post("/orders");
    }

    private long ordersOf(String dispensaryId) {
        try {
            return count("SELECT count(*) FROM customer_order WHERE dispensary_id = ?", dispensaryId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql, String... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private void execute(String sql, String... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            statement.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, String... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setString(i + 1, parameters[i]);
        }
        return statement;
    }
}
