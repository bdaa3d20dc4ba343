package io.dispensary.orders.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LifecycleTest {

    private static final Tenants TENANTS = Tenants.local();

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
    void aPickupOrderGoesFromPendingToCompletedAndKeepsItsHistory() {
        String number = create(OrderFixtures.pickup(dispensary));

        move(number, "CONFIRMED", null).statusCode(200).header("ETag", "\"1\"").body("status", equalTo("CONFIRMED"));
        move(number, "READY_FOR_PICKUP", null).statusCode(200).header("ETag", "\"2\"");
        move(number, "COMPLETED", null).statusCode(200).header("ETag", "\"3\"");

        TENANTS.as(key)
                .get("/orders/" + number)
                .then()
                .statusCode(200)
                .header("ETag", "\"3\"")
                .body("status", equalTo("COMPLETED"))
                .body("history.to", contains("PENDING", "CONFIRMED", "READY_FOR_PICKUP", "COMPLETED"))
                .body("history.from", contains(null, "PENDING", "CONFIRMED", "READY_FOR_PICKUP"))
                .body("history.by", contains(keyId, keyId, keyId, keyId))
                .body("history.at", hasSize(4));
    }

    @Test
    void aStepOnAnInstanceWhoseClockIsBehindStillComesAfterTheLastOne() throws Exception {
        String number = create(OrderFixtures.pickup(dispensary));
        // As if another instance, its clock an hour ahead of this one's, had created the order.
        try (Connection db = Database.outsidePool();
                Statement statement = db.createStatement()) {
            statement.executeUpdate("UPDATE order_transition SET at = at + interval '1 hour' WHERE order_id ="
                    + " (SELECT id FROM customer_order WHERE order_number = '" + number + "')");
            statement.executeUpdate("UPDATE customer_order SET updated_at = updated_at + interval '1 hour'"
                    + " WHERE order_number = '" + number + "'");
        }
        move(number, "CONFIRMED", null).statusCode(200);

        var history = TENANTS.as(key)
                .get("/orders/" + number)
                .then()
                .statusCode(200)
                .body("history.to", contains("PENDING", "CONFIRMED"))
                .extract()
                .jsonPath()
                .getList("history.at", String.class);
        assertThat(Instant.parse(history.get(1))).isAfter(Instant.parse(history.get(0)));
    }

    @Test
    void aDeliveryOrderGoesOutForDeliveryNeverReadyForPickup() {
        String number = create(OrderFixtures.delivery(dispensary));
        move(number, "CONFIRMED", null).statusCode(200);

        move(number, "READY_FOR_PICKUP", null)
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/illegal-transition"))
                .body("allowed", containsInAnyOrder("OUT_FOR_DELIVERY", "CANCELLED"));
        move(number, "OUT_FOR_DELIVERY", null).statusCode(200);
        move(number, "COMPLETED", null).statusCode(200);
    }

    @Test
    void anIllegalTransitionIs409NamingTheAllowedOnes() {
        String number = create(OrderFixtures.pickup(dispensary));
        move(number, "COMPLETED", null)
                .statusCode(409)
                .body("allowed", containsInAnyOrder("CONFIRMED", "REJECTED", "CANCELLED"));
        move(number, "REJECTED", null).statusCode(200);
        move(number, "CONFIRMED", null).statusCode(409).body("allowed", hasSize(0));
    }

    @Test
    void cancellingNeedsAReasonAndRecordsIt() {
        String number = create(OrderFixtures.pickup(dispensary));
        move(number, "CONFIRMED", null).statusCode(200);

        move(number, "CANCELLED", null).statusCode(400).body("violations[0].field", equalTo("reason"));
        move(number, "CANCELLED", "").statusCode(400).body("violations[0].field", equalTo("reason"));
        move(number, "CANCELLED", "   ").statusCode(400).body("violations[0].field", equalTo("reason"));
        move(number, "CANCELLED", "customer called to cancel")
                .statusCode(200)
                .body("history[2].reason", equalTo("customer called to cancel"));
    }

    @Test
    void aStaleIfMatchIs412AndACurrentOneGoesThrough() {
        String number = create(OrderFixtures.pickup(dispensary));
        String etag = TENANTS.as(key)
                .get("/orders/" + number)
                .then()
                .statusCode(200)
                .extract()
                .header("ETag");
        move(number, "CONFIRMED", null).statusCode(200);

        TENANTS.as(key)
                .contentType(ContentType.JSON)
                .header("If-Match", etag)
                .body("{\"to\": \"CANCELLED\", \"reason\": \"stale screen\"}")
                .post("/orders/" + number + "/transitions")
                .then()
                .statusCode(412)
                .contentType("application/problem+json")
                .header("ETag", "\"1\"");
        TENANTS.as(key)
                .contentType(ContentType.JSON)
                .header("If-Match", "\"1\"")
                .body("{\"to\": \"READY_FOR_PICKUP\"}")
                .post("/orders/" + number + "/transitions")
                .then()
                .statusCode(200)
                .header("ETag", "\"2\"");
    }

    @Test
    void aMalformedIfMatchIs400() {
        String number = create(OrderFixtures.pickup(dispensary));
        TENANTS.as(key)
                .contentType(ContentType.JSON)
                .header("If-Match", "W/\"0\"")
                .body("{\"to\": \"CONFIRMED\"}")
                .post("/orders/" + number + "/transitions")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("If-Match"));
    }

    private String create(String body) {
        return TENANTS.as(key)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/orders")
                .then()
                .statusCode(201)
                .header("ETag", "\"0\"")
                .extract()
                .path("orderNumber");
    }

    private ValidatableResponse move(String number, String to, String reason) {
        String body = reason == null
                ? "{\"to\": \"" + to + "\"}"
                : "{\"to\": \"" + to + "\", \"reason\": \"" + reason + "\"}";
        return TENANTS.as(key)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/orders/" + number + "/transitions")
                .then();
    }
}
