package io.dispensary.orders.webhook;

import io.dispensary.orders.tenant.Tenants;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Map;

/** Subscribes and reads accounting through the admin API, as an operator would. */
final class Webhooks {

    /** A new subscription: its id and its secret, shown this once. */
    record Subscribed(String id, String secret) {}

    private final Tenants tenants;
    private final java.util.List<String> made = new java.util.concurrent.CopyOnWriteArrayList<>();

    Webhooks(Tenants tenants) {
        this.tenants = tenants;
    }

    Subscribed subscribe(String dispensaryId, String url, boolean includeTest) {
        JsonPath created = tenants.admin()
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "dispensaryId",
                        dispensaryId,
                        "url",
                        url,
                        "events",
                        java.util.List.of("order.created", "order.status_changed"),
                        "includeTest",
                        includeTest))
                .post("/admin/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        made.add(created.getString("id"));
        return new Subscribed(created.getString("id"), created.getString("secret"));
    }

    /**
     * Deletes what this test subscribed: the service is shared by every test class, and a subscription whose
     * receiver is gone would go on retrying to its port, which a later test's receiver may be given.
     */
    void deleteAll() {
        made.forEach(
                id -> tenants.admin().delete("/admin/webhooks/" + id).then().statusCode(204));
        made.clear();
    }

    Map<String, Long> summary(String id) {
        Map<String, Object> body = tenants.admin()
                .get("/admin/webhooks/" + id + "/deliveries/summary")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("");
        Map<String, Long> counts = new java.util.TreeMap<>();
        body.forEach((state, count) -> counts.put(state, ((Number) count).longValue()));
        return counts;
    }

    JsonPath deliveries(String id, String status) {
        return tenants.admin()
                .queryParam("status", status)
                .queryParam("limit", 100)
                .get("/admin/webhooks/" + id + "/deliveries")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
