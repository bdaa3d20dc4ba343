package io.dispensary.orders.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.matchesPattern;

import io.dispensary.orders.tenant.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Storefront developers build against the OpenAPI document: it must name every status and header we answer, and its
 * examples must work as they are. (Every test's exchanges are also checked against it: testing/ContractFilter.)
 */
@QuarkusTest
class OpenApiDocumentTest {

    private static final Map<String, List<String>> STATUSES = Map.ofEntries(
            Map.entry("post /orders", List.of("201", "400", "401", "403", "406", "409", "413", "415", "422", "503")),
            Map.entry("get /orders", List.of("200", "400", "401", "403", "406", "503")),
            Map.entry("get /orders/{orderNumber}", List.of("200", "400", "401", "403", "404", "406", "503")),
            Map.entry(
                    "post /orders/{orderNumber}/transitions",
                    List.of("200", "400", "401", "403", "404", "406", "409", "412", "413", "415", "503")),
            Map.entry(
                    "put /admin/dispensaries/{dispensaryId}",
                    List.of("200", "201", "400", "401", "406", "413", "415", "503")),
            Map.entry("get /admin/dispensaries/{dispensaryId}", List.of("200", "400", "401", "404", "406", "503")),
            Map.entry("post /admin/api-keys", List.of("201", "400", "401", "406", "413", "415", "422", "503")),
            Map.entry("delete /admin/api-keys/{keyId}", List.of("204", "400", "401", "404", "503")),
            Map.entry("post /admin/webhooks", List.of("201", "400", "401", "406", "413", "415", "422", "503")),
            Map.entry("get /admin/webhooks", List.of("200", "400", "401", "406", "503")),
            Map.entry("get /admin/webhooks/{webhookId}", List.of("200", "400", "401", "404", "406", "503")),
            Map.entry("delete /admin/webhooks/{webhookId}", List.of("204", "400", "401", "404", "406", "503")),
            Map.entry("post /admin/webhooks/{webhookId}/secret", List.of("200", "400", "401", "404", "406", "503")),
            Map.entry(
                    "get /admin/webhooks/{webhookId}/deliveries/summary",
                    List.of("200", "400", "401", "404", "406", "503")),
            Map.entry("get /admin/webhooks/{webhookId}/deliveries", List.of("200", "400", "401", "404", "406", "503")),
            Map.entry(
                    "post /admin/webhooks/{webhookId}/deliveries/{eventId}/retry",
                    List.of("202", "400", "401", "404", "406", "409", "503")));

    @Test
    void describesEveryEndpointWithItsStatusCodes() {
        JsonPath document = document();
        STATUSES.forEach((operation, statuses) -> {
            Map<String, Object> responses = document.getMap(operation(operation) + ".responses");
            assertThat(responses).as(operation).isNotNull();
            assertThat(responses.keySet()).as(operation).containsAll(statuses);
        });
    }

    @Test
    void describesTheHeadersClientsSendAndRead() {
        JsonPath document = document();
        String create = operation("post /orders");
        assertThat(parameterNames(document, create)).contains("Idempotency-Key");
        assertThat(headers(document, create, "201")).contains("Location", "ETag", "Idempotent-Replayed");
        assertThat(headers(document, create, "503")).contains("Retry-After");
        assertThat(headers(document, create, "409")).contains("Retry-After");
        assertThat(headers(document, create, "401")).contains("WWW-Authenticate");
        String transition = operation("post /orders/{orderNumber}/transitions");
        assertThat(parameterNames(document, transition)).contains("If-Match");
        assertThat(headers(document, operation("get /orders/{orderNumber}"), "200"))
                .contains("ETag");
        assertThat(headers(document, operation("post /admin/webhooks"), "201")).contains("Location");
        assertThat(parameterNames(document, operation("get /orders")))
                .contains(
                        "dispensaryId", "status", "fulfillment", "test", "createdFrom", "createdTo", "limit", "cursor");
    }

    @Test
    void namesEveryOperationForClientGenerators() {
        JsonPath document = document();
        assertThat(STATUSES.keySet().stream().map(op -> document.getString(operation(op) + ".operationId")))
                .containsExactlyInAnyOrder(
                        "createOrder",
                        "listOrders",
                        "getOrder",
                        "transitionOrder",
                        "putDispensary",
                        "getDispensary",
                        "createApiKey",
                        "revokeApiKey",
                        "createWebhook",
                        "listWebhooks",
                        "getWebhook",
                        "deleteWebhook",
                        "rotateWebhookSecret",
                        "getWebhookDeliverySummary",
                        "listWebhookDeliveries",
                        "retryWebhookDelivery");
    }

    @Test
    void listsEveryOperationOfTheDocumentHere() {
        JsonPath document = document();
        Map<String, Map<String, Object>> paths = document.getMap("paths");
        List<String> operations = new java.util.ArrayList<>();
        paths.forEach((path, item) -> item.keySet().stream()
                .filter(method ->
                        List.of("get", "put", "post", "delete", "patch").contains(method))
                .forEach(method -> operations.add(method + " " + path)));
        assertThat(operations).containsExactlyInAnyOrderElementsOf(STATUSES.keySet());
    }

    @Test
    void declaresTheBearerScheme() {
        assertThat(document().getString("components.securitySchemes.bearer.scheme"))
                .isEqualTo("bearer");
    }

    /** What Swagger UI's "Try it out" sends: bin/run's demo dispensary, a storefront key, then the example order. */
    @Test
    void theDocumentsExamplesCreateADispensaryAKeyAndAnOrderAsTheyAre() {
        JsonPath document = document();
        Map<String, Object> dispensary = document.getMap(operation("put /admin/dispensaries/{dispensaryId}")
                + ".requestBody.content.'application/json'.examples.demo.value");
        Map<String, Object> keyRequest = document.getMap(operation("post /admin/api-keys")
                + ".requestBody.content.'application/json'.examples.storefront.value");
        Map<String, Object> order = document.getMap(
                operation("post /orders") + ".requestBody.content.'application/json'.examples.pickup.value");
        Tenants tenants = Tenants.local();
        tenants.admin()
                .contentType(ContentType.JSON)
                .body(dispensary)
                .put("/admin/dispensaries/" + order.get("dispensaryId"))
                .then()
                .statusCode(matchesStatus());
        String key = tenants.admin()
                .contentType(ContentType.JSON)
                .body(keyRequest)
                .post("/admin/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("apiKey");
        tenants.as(key)
                .contentType(ContentType.JSON)
                .body(order)
                .post("/orders")
                .then()
                .statusCode(201)
                .header("Location", matchesPattern("/orders/[0-9]+"));
    }

    /** 201 the first time, 200 when another test of this run made the demo dispensary already. */
    private static org.hamcrest.Matcher<Integer> matchesStatus() {
        return org.hamcrest.Matchers.oneOf(200, 201);
    }

    private static String operation(String methodAndPath) {
        String[] parts = methodAndPath.split(" ");
        return "paths.'" + parts[1] + "'." + parts[0];
    }

    private static List<String> parameterNames(JsonPath document, String operation) {
        List<Map<String, Object>> parameters = document.getList(operation + ".parameters");
        return parameters.stream()
                .map(p -> resolve(document, p))
                .map(p -> (String) p.get("name"))
                .toList();
    }

    private static List<String> headers(JsonPath document, String operation, String status) {
        Map<String, Object> response = resolve(document, document.getMap(operation + ".responses.'" + status + "'"));
        @SuppressWarnings("unchecked")
        Map<String, Object> headers = (Map<String, Object>) response.get("headers");
        return List.copyOf(headers.keySet());
    }

    /** Follows a local {@code $ref} such as {@code #/components/responses/Unavailable}. */
    private static Map<String, Object> resolve(JsonPath document, Map<String, Object> node) {
        Object ref = node.get("$ref");
        if (ref == null) {
            return node;
        }
        return document.getMap(((String) ref).substring(2).replace('/', '.'));
    }

    private static JsonPath document() {
        return given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
