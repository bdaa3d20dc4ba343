package io.dispensary.orders.slo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import io.dispensary.orders.order.OrderFixtures;
import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CriticalEndpointMetricsTest {

    private static final Tenants TENANTS = Tenants.local();
    private static final String GOOD = "orders_slo_requests_total{result=\"good\",slo=\"create-order\"}";
    private static final String BAD = "orders_slo_requests_total{result=\"bad\",slo=\"create-order\"}";
    private static final String TEST_COUNT = "orders_slo_latency_seconds_count{slo=\"create-order\",traffic=\"test\"}";
    private static final String CREATED = "orders_created_total";

    @Inject
    DataSource dataSource;

    private String dispensary;
    private String storefront;

    @BeforeEach
    void newStorefront() {
        dispensary = TENANTS.newDispensary();
        storefront = TENANTS.storefrontKey(dispensary);
    }

    @Test
    void createOrderHasAHistogramBucketExactlyAtItsThresholdAndGetOrderAtItsOwn() {
        create(storefront, OrderFixtures.pickup(dispensary));
        String scrape = scrape();
        assertThat(scrape)
                .contains("orders_slo_latency_seconds_bucket{slo=\"create-order\",traffic=\"production\",le=\"0.3\"}")
                .contains("orders_slo_latency_seconds_bucket{slo=\"get-order\",traffic=\"production\",le=\"0.1\"}")
                .contains("http_server_requests_seconds_bucket");
    }

    @Test
    void aFastCreateCountsGoodAndASlowOneCountsBad() throws Exception {
        double good = value(scrape(), GOOD);
        double bad = value(scrape(), BAD);
        double created = value(scrape(), CREATED);

        create(storefront, OrderFixtures.pickup(dispensary));
        String scrape = Management.awaitValue(GOOD, good + 1);
        assertThat(value(scrape, BAD)).isEqualTo(bad);
        assertThat(value(scrape, CREATED)).isEqualTo(created + 1);

        // Hold the orders table for longer than the 300 ms threshold, and shorter than the budget's 700 ms lock
        // timeout: the create waits, succeeds, and is bad.
        try (Connection lock = dataSource.getConnection();
                Statement statement = lock.createStatement()) {
            lock.setAutoCommit(false);
            statement.execute("LOCK TABLE customer_order IN EXCLUSIVE MODE");
            Thread releaser = new Thread(() -> {
                try {
                    Thread.sleep(450);
                    lock.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            releaser.start();
            create(storefront, OrderFixtures.pickup(dispensary));
            releaser.join();
        }
        assertThat(value(Management.awaitValue(BAD, bad + 1), GOOD)).isEqualTo(good + 1);
    }

    @Test
    void testOrdersAreMeasuredApartAndMoveNeitherCounter() {
        String scrape = scrape();
        double good = value(scrape, GOOD);
        double bad = value(scrape, BAD);
        double created = value(scrape, CREATED);
        double tests = value(scrape, TEST_COUNT);

        create(TENANTS.internalKey(), OrderFixtures.testOrder(dispensary));

        // Once the test order is measured, the request is fully counted: the others must not have moved.
        scrape = Management.awaitValue(TEST_COUNT, tests + 1);
        assertThat(value(scrape, GOOD)).isEqualTo(good);
        assertThat(value(scrape, BAD)).isEqualTo(bad);
        assertThat(value(scrape, CREATED)).isEqualTo(created);
    }

    @Test
    void rejectedOrdersAreCountedByProblemType() {
        String reason = "orders_rejected_total{reason=\"fulfillment-not-offered\"}";
        double before = Management.valueOrZero(scrape(), reason);
        TENANTS.admin()
                .contentType(ContentType.JSON)
                .body(Tenants.DISPENSARY.replace("\"PICKUP\", \"DELIVERY\"", "\"PICKUP\""))
                .put("/admin/dispensaries/" + dispensary)
                .then()
                .statusCode(200);
        TENANTS.as(storefront)
                .contentType(ContentType.JSON)
                .body(OrderFixtures.delivery(dispensary))
                .post("/orders")
                .then()
                .statusCode(422);
        Management.awaitValue(reason, before + 1);
    }

    @Test
    void slowStatusShowsEachCriticalEndpoint() {
        create(storefront, OrderFixtures.pickup(dispensary));
        given().get(Management.url("/q/slo"))
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("$", hasKey("create-order"))
                .body("$", hasKey("get-order"))
                .body("'create-order'.objective", equalTo(0.99f))
                .body("'create-order'.thresholdMillis", equalTo(300))
                .body("'create-order'.state", notNullValue())
                .body("'create-order'.stateReason", notNullValue())
                .body("'create-order'.minRequests", equalTo(100))
                .body("'get-order'.minRequests", equalTo(100))
                .body(
                        "'create-order'.burnRates.window",
                        org.hamcrest.Matchers.contains("5m", "30m", "1h", "2h", "6h", "1d", "3d"))
                .body("'create-order'.factors.pageFast", equalTo(13.44f))
                .body("'get-order'.objective", equalTo(0.995f));
    }

    @Test
    void thePoolMetricsAreExported() {
        assertThat(scrape()).contains("agroal_active_count").contains("agroal_awaiting_count");
    }

    private void create(String key, String body) {
        TENANTS.as(key)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/orders")
                .then()
                .statusCode(201);
    }

    private String scrape() {
        return Management.scrape();
    }

    static double value(String scrape, String series) {
        return Management.value(scrape, series);
    }
}
