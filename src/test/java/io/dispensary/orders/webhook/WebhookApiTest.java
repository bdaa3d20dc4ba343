package io.dispensary.orders.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.dispensary.orders.order.OrderFixtures;
import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The webhook admin API over HTTP: subscribing, reading, rotating, deleting, and what it refuses. */
@QuarkusTest
class WebhookApiTest {

    private static final Tenants TENANTS = Tenants.local();
    private final Webhooks webhooks = new Webhooks(TENANTS);

    @org.junit.jupiter.api.AfterEach
    void deleteSubscriptions() {
        webhooks.deleteAll();
    }

    private static Map<String, Object> request(String dispensary, String url, List<String> events) {
        return Map.of("dispensaryId", dispensary, "url", url, "events", events);
    }

    @Test
    void aSubscriptionIsCreatedWithItsLocationAndASecretShownOnlyOnce() {
        String dispensary = TENANTS.newDispensary();
        var created = TENANTS.admin()
                .contentType(ContentType.JSON)
                .body(request(dispensary, "http://127.0.0.1:9/hook", List.of("order.created")))
                .post("/admin/webhooks")
                .then()
                .statusCode(201)
                .body("secret", org.hamcrest.Matchers.matchesPattern("whsec_[A-Za-z0-9+/]{43}="))
                .body("includeTest", equalTo(false))
                .body("events", equalTo(List.of("order.created")))
                .extract();
        String id = created.path("id");
        assertThat(created.header("Location")).endsWith("/admin/webhooks/" + id);

        TENANTS.admin()
                .get("/admin/webhooks/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("dispensaryId", equalTo(dispensary))
                .body("secret", nullValue());
        TENANTS.admin()
                .queryParam("dispensaryId", dispensary)
                .get("/admin/webhooks")
                .then()
                .statusCode(200)
                .body("webhooks.id", equalTo(List.of(id)))
                .body("webhooks[0].secret", nullValue());
    }

    @Test
    void theSecretIsStoredForSigningButNeverLogged() throws Exception {
        String dispensary = TENANTS.newDispensary();
        Webhooks.Subscribed subscribed = webhooks.subscribe(dispensary, "http://127.0.0.1:9/hook", false);
        String rotated = TENANTS.admin()
                .post("/admin/webhooks/" + subscribed.id() + "/secret")
                .then()
                .statusCode(200)
                .extract()
                .path("secret");
        assertThat(Database.count(
                        "SELECT count(*) FROM webhook_subscription WHERE id = ? AND secret LIKE 'whsec_%'",
                        subscribed.id()))
                .isEqualTo(1);
        String log = java.nio.file.Files.readString(java.nio.file.Path.of("target/quarkus-test.log"));
        assertThat(log)
                .contains(subscribed.id())
                .doesNotContain(subscribed.secret())
                .doesNotContain(rotated);
        assertThat(log).doesNotContain(subscribed.secret().substring(6, 30));
    }

    @Test
    void aRotationAnswersTheNewSecretAndWhenThePreviousStopsSigning() {
        String dispensary = TENANTS.newDispensary();
        Webhooks.Subscribed subscribed = webhooks.subscribe(dispensary, "http://127.0.0.1:9/hook", false);
        var rotated = TENANTS.admin()
                .post("/admin/webhooks/" + subscribed.id() + "/secret")
                .then()
                .statusCode(200)
                .body("previousSecretExpiresAt", notNullValue())
                .extract();
        assertThat((String) rotated.path("secret")).startsWith("whsec_").isNotEqualTo(subscribed.secret());
        java.time.Instant until = java.time.Instant.parse(rotated.path("previousSecretExpiresAt"));
        assertThat(Duration.between(java.time.Instant.now(), until))
                .isBetween(Duration.ofHours(23), Duration.ofHours(24));
    }

    @Test
    void deletingASubscriptionCancelsWhatWasNotDeliveredAndKeepsItsAccounting() throws Exception {
        String dispensary = TENANTS.newDispensary();
        // Nothing listens on port 9: every attempt fails, so the deliveries wait.
        Webhooks.Subscribed subscribed = webhooks.subscribe(dispensary, "http://127.0.0.1:9/hook", false);
        String key = TENANTS.storefrontKey(dispensary);
        for (int i = 0; i < 3; i++) {
            TENANTS.as(key)
                    .contentType(ContentType.JSON)
                    .body(OrderFixtures.pickup(dispensary))
                    .post("/orders")
                    .then()
                    .statusCode(201);
        }
        TENANTS.admin().delete("/admin/webhooks/" + subscribed.id()).then().statusCode(204);
        TENANTS.admin().delete("/admin/webhooks/" + subscribed.id()).then().statusCode(204);

        assertThat(webhooks.summary(subscribed.id()))
                .containsEntry("created", 3L)
                .containsEntry("cancelled", 3L)
                .containsEntry("pending", 0L)
                .containsEntry("retrying", 0L);
        TENANTS.admin()
                .get("/admin/webhooks/" + subscribed.id())
                .then()
                .statusCode(200)
                .body("deletedAt", notNullValue());
        TENANTS.admin()
                .queryParam("dispensaryId", dispensary)
                .get("/admin/webhooks")
                .then()
                .statusCode(200)
                .body("webhooks", equalTo(List.of()));
        // A later order of the dispensary fans out to nothing.
        TENANTS.as(key)
                .contentType(ContentType.JSON)
                .body(OrderFixtures.pickup(dispensary))
                .post("/orders")
                .then()
                .statusCode(201);
        assertThat(webhooks.summary(subscribed.id())).containsEntry("created", 3L);
        TENANTS.admin()
                .post("/admin/webhooks/" + subscribed.id() + "/secret")
                .then()
                .statusCode(404);
    }

    @Test
    void badSubscriptionsAreRefusedWithTheFieldsAndStoreNothing() throws Exception {
        String dispensary = TENANTS.newDispensary();
        TENANTS.admin()
                .contentType(ContentType.JSON)
                .body(request(dispensary, "ftp://hooks.example.com/", List.of("order.created", "order.shipped")))
                .post("/admin/webhooks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("url"))
                .body("violations.field", hasItem("events[1]"));
        TENANTS.admin()
                .contentType(ContentType.JSON)
                .body(request(dispensary, "https://user:secret@hooks.example.com/", List.of("order.created")))
                .post("/admin/webhooks")
                .then()
                .statusCode(400)
                .body("violations[0].message", containsString("credentials"));
        TENANTS.admin()
                .contentType(ContentType.JSON)
                .body(Map.of("dispensaryId", dispensary, "url", "http://127.0.0.1:9/"))
                .post("/admin/webhooks")
                .then()
                .statusCode(400)
                .body("violations.field", hasItem("events"));
        TENANTS.admin()
                .contentType(ContentType.JSON)
                .body(request("no-such-dispensary", "http://127.0.0.1:9/", List.of("order.created")))
                .post("/admin/webhooks")
                .then()
                .statusCode(422)
                .body("type", endsWith("/problems/unknown-dispensary"));
        assertThat(Database.count(
                        "SELECT count(*) FROM webhook_subscription WHERE dispensary_id IN (?, 'no-such-dispensary')",
                        dispensary))
                .isZero();
    }

    @Test
    void theAdminTokenIsRequired() {
        io.restassured.RestAssured.given()
                .get("/admin/webhooks?dispensaryId=x")
                .then()
                .statusCode(401);
        TENANTS.as("dsk_not-an-admin-token")
                .contentType(ContentType.JSON)
                .body(request("x", "http://127.0.0.1:9/", List.of("order.created")))
                .post("/admin/webhooks")
                .then()
                .statusCode(401);
    }

    @Test
    void unknownSubscriptionsAndDeliveriesAre404AndBadQueriesAre400() {
        TENANTS.admin().get("/admin/webhooks/wh_nope").then().statusCode(404);
        TENANTS.admin().delete("/admin/webhooks/wh_nope").then().statusCode(404);
        TENANTS.admin().get("/admin/webhooks/wh_nope/deliveries/summary").then().statusCode(404);
        TENANTS.admin().get("/admin/webhooks").then().statusCode(400);
        String dispensary = TENANTS.newDispensary();
        Webhooks.Subscribed subscribed = webhooks.subscribe(dispensary, "http://127.0.0.1:9/hook", false);
        TENANTS.admin()
                .post("/admin/webhooks/" + subscribed.id() + "/deliveries/evt_nope/retry")
                .then()
                .statusCode(404);
        TENANTS.admin()
                .queryParam("status", "lost")
                .get("/admin/webhooks/" + subscribed.id() + "/deliveries")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("status"));
        TENANTS.admin()
                .queryParam("cursor", "not-a-cursor")
                .get("/admin/webhooks/" + subscribed.id() + "/deliveries")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("cursor"));
        TENANTS.admin()
                .get("/admin/webhooks/" + subscribed.id() + "/deliveries")
                .then()
                .statusCode(200)
                .body("deliveries", equalTo(List.of()))
                .body("nextCursor", nullValue());
    }
}
