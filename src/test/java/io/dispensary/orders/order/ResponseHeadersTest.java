package io.dispensary.orders.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.tenant.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Orders hold names, birth dates and addresses, and a new API key is shown once: no response of the order or
 * admin API may be kept by a browser or a proxy cache, errors included. And one JSON media type, whichever
 * endpoint answers.
 */
@QuarkusTest
class ResponseHeadersTest {

    private static final Tenants TENANTS = Tenants.local();
    /** RFC 8259 defines no charset parameter for JSON: it is UTF-8. */
    private static final String JSON = "application/json";

    private static final String PROBLEM = "application/problem+json";

    @Test
    void everyOrderAndAdminResponseIsMarkedNoStoreErrorsIncluded() {
        String dispensary = TENANTS.newDispensary();
        Response key = TENANTS.admin()
                .contentType(ContentType.JSON)
                .body("{\"role\": \"STOREFRONT\", \"dispensaryId\": \"" + dispensary + "\"}")
                .post("/admin/api-keys");
        String apiKey = key.path("apiKey");
        Response created = TENANTS.as(apiKey)
                .contentType(ContentType.JSON)
                .body(OrderFixtures.pickup(dispensary))
                .post("/orders");
        String number = created.path("orderNumber");

        Map<String, Response> responses = new LinkedHashMap<>();
        responses.put("POST /admin/api-keys", key);
        responses.put("POST /orders", created);
        responses.put("GET /orders/{orderNumber}", TENANTS.as(apiKey).get("/orders/" + number));
        responses.put("GET /orders", TENANTS.as(apiKey).get("/orders"));
        responses.put(
                "POST /orders/{orderNumber}/transitions",
                TENANTS.as(apiKey)
                        .contentType(ContentType.JSON)
                        .body("{\"to\": \"CONFIRMED\"}")
                        .post("/orders/" + number + "/transitions"));
        responses.put("GET /orders/{orderNumber} 400", TENANTS.as(apiKey).get("/orders/12ab"));
        responses.put("GET /orders 401", TENANTS.as("dsk_wrong").get("/orders"));
        responses.put(
                "POST /orders 400",
                TENANTS.as(apiKey).contentType(ContentType.JSON).body("{").post("/orders"));
        responses.put(
                "POST /orders 413",
                TENANTS.as(apiKey)
                        .contentType(ContentType.JSON)
                        .body("x".repeat(300 * 1024))
                        .post("/orders"));
        responses.put(
                "GET /admin/dispensaries/{dispensaryId}", TENANTS.admin().get("/admin/dispensaries/" + dispensary));
        responses.put(
                "GET /admin/dispensaries/{dispensaryId} 404", TENANTS.admin().get("/admin/dispensaries/nope-nope"));
        responses.put(
                "PUT /admin/dispensaries/{dispensaryId}",
                TENANTS.admin()
                        .contentType(ContentType.JSON)
                        .body(Tenants.DISPENSARY)
                        .put("/admin/dispensaries/" + dispensary));
        responses.put("DELETE /admin/api-keys/{keyId}", TENANTS.admin().delete("/admin/api-keys/" + key.path("keyId")));

        responses.forEach((call, response) -> assertThat(response.header("Cache-Control"))
                .as("Cache-Control of %s (%d)", call, response.statusCode())
                .isEqualTo("no-store"));
    }

    @Test
    void createGetTransitionAndListAnswerOneJsonMediaTypeAndProblemsAnother() {
        String dispensary = TENANTS.newDispensary();
        String apiKey = TENANTS.storefrontKey(dispensary);
        Response created = TENANTS.as(apiKey)
                .contentType(ContentType.JSON)
                .body(OrderFixtures.pickup(dispensary))
                .post("/orders");
        String number = created.path("orderNumber");

        Map<String, Response> json = new LinkedHashMap<>();
        json.put("create", created);
        json.put("get", TENANTS.as(apiKey).get("/orders/" + number));
        json.put(
                "transition",
                TENANTS.as(apiKey)
                        .contentType(ContentType.JSON)
                        .body("{\"to\": \"CONFIRMED\"}")
                        .post("/orders/" + number + "/transitions"));
        json.put("list", TENANTS.as(apiKey).get("/orders"));
        json.put("get dispensary", TENANTS.admin().get("/admin/dispensaries/" + dispensary));
        Map<String, Response> problems = new LinkedHashMap<>();
        problems.put("bad number", TENANTS.as(apiKey).get("/orders/12ab"));
        problems.put("wrong key", TENANTS.as("dsk_wrong").get("/orders"));
        problems.put(
                "malformed body",
                TENANTS.as(apiKey).contentType(ContentType.JSON).body("{").post("/orders"));
        problems.put(
                "body too large",
                TENANTS.as(apiKey)
                        .contentType(ContentType.JSON)
                        .body("x".repeat(300 * 1024))
                        .post("/orders"));

        json.forEach((call, response) -> assertThat(response.header("Content-Type"))
                .as("Content-Type of %s (%d)", call, response.statusCode())
                .isEqualTo(JSON));
        problems.forEach((call, response) -> assertThat(response.header("Content-Type"))
                .as("Content-Type of %s (%d)", call, response.statusCode())
                .isEqualTo(PROBLEM));
    }
}
