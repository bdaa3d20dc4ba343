package io.dispensary.orders.tenant;

import static io.restassured.RestAssured.given;

import io.dispensary.orders.common.OrdersConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;

/**
 * Sets up dispensaries and API keys through the admin API, as an operator would, and the orders a test needs, for
 * tests over HTTP.
 */
public final class Tenants {

    /** The dev and test profiles' admin token, as the service defines it. */
    /** The channel the tenant cache listens on (TenantCache.CHANNEL), for tests outside its package. */
    public static final String CACHE_CHANNEL = TenantCache.CHANNEL;

    public static final String ADMIN_TOKEN = OrdersConfig.DEV_ADMIN_TOKEN;
    /** The admin token of the services the integration tests start in the prod profile, where the dev one is refused. */
    public static final String IT_ADMIN_TOKEN = "an-admin-token-for-integration-tests-only-0123456789";

    /** Both fulfillment types, 21+, and limits of the shape real states use. */
    public static final String DISPENSARY = """
            {"name": "Green Leaf", "timezone": "America/Los_Angeles", "fulfillment": ["PICKUP", "DELIVERY"],
             "minimumAge": 21,
             "purchaseLimits": {
               "RECREATIONAL": {"flowerGrams": 28.35, "concentrateGrams": 8, "edibleThcMg": 100},
               "MEDICAL": {"flowerGrams": 226.8, "concentrateGrams": 32}}}""";

    private final String baseUri;
    private final String adminToken;

    private Tenants(String baseUri, String adminToken) {
        this.baseUri = baseUri;
        this.adminToken = adminToken;
    }

    /** Against the @QuarkusTest instance. */
    public static Tenants local() {
        return new Tenants(null, ADMIN_TOKEN);
    }

    /** Against a service at this base URI. */
    public static Tenants at(String baseUri, String adminToken) {
        return new Tenants(baseUri, adminToken);
    }

    /** A new dispensary with a unique id, so tests never see each other's orders. */
    public String newDispensary() {
        String id = "disp-" + UUID.randomUUID().toString().substring(0, 12);
        admin().contentType(ContentType.JSON)
                .body(DISPENSARY)
                .put("/admin/dispensaries/" + id)
                .then()
                .statusCode(201);
        return id;
    }

    /** A new API key: the secret to send, and the id that transitions and logs name it by. */
    public record Key(String keyId, String apiKey) {}

    public String storefrontKey(String dispensaryId) {
        return storefront(dispensaryId).apiKey();
    }

    public Key storefront(String dispensaryId) {
        var created = admin().contentType(ContentType.JSON)
                .body("{\"role\": \"STOREFRONT\", \"dispensaryId\": \"" + dispensaryId + "\"}")
                .post("/admin/api-keys")
                .then()
                .statusCode(201)
                .extract();
        return new Key(created.path("keyId"), created.path("apiKey"));
    }

    public String internalKey() {
        return admin().contentType(ContentType.JSON)
                .body("{\"role\": \"INTERNAL\"}")
                .post("/admin/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("apiKey");
    }

    /** Creates an order with this key and answers its number. */
    public String createOrder(String apiKey, String body) {
        return as(apiKey)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/orders")
                .then()
                .statusCode(201)
                .extract()
                .path("orderNumber");
    }

    /** Moves an order to {@code to} with this key. */
    public void moveOrder(String apiKey, String orderNumber, String to) {
        as(apiKey)
                .contentType(ContentType.JSON)
                .body("{\"to\": \"" + to + "\"}")
                .post("/orders/" + orderNumber + "/transitions")
                .then()
                .statusCode(200);
    }

    public RequestSpecification admin() {
        return base().header("Authorization", "Bearer " + adminToken);
    }

    /** A request authorised by this API key. */
    public RequestSpecification as(String apiKey) {
        return base().header("Authorization", "Bearer " + apiKey);
    }

    private RequestSpecification base() {
        RequestSpecification request = given();
        return baseUri == null ? request : request.baseUri(baseUri);
    }
}
