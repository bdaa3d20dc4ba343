package io.dispensary.orders.tenant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.dispensary.orders.order.OrderFixtures;
import io.dispensary.orders.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The admin API: the admin token, dispensaries and API keys. */
@QuarkusTest
class AdminApiTest {

    private static final Tenants TENANTS = Tenants.local();
    private static final String PROBLEM_JSON = "application/problem+json";

    private static final String UPDATED = """
            {"name": "Green Leaf Downtown", "timezone": "America/New_York", "fulfillment": ["PICKUP"],
             "minimumAge": 18,
             "purchaseLimits": {"RECREATIONAL": {"flowerGrams": 56.7}}}""";
    /** A valid body to break one field at a time. */
    private static final String VALID = """
            {"name": "Green Leaf", "timezone": "America/Los_Angeles", "fulfillment": ["PICKUP", "DELIVERY"],
             "minimumAge": 21, "purchaseLimits": {"RECREATIONAL": {"flowerGrams": 28.35}}}""";

    @Inject
    DataSource dataSource;

    @Test
    void refusesAMissingOrWrongAdminTokenWith401AndABearerChallenge() {
        String dispensary = TENANTS.newDispensary();
        String storefrontKey = TENANTS.storefrontKey(dispensary);
        String internalKey = TENANTS.internalKey();
        List<Supplier<RequestSpecification>> callers = List.of(
                () -> given(),
                () -> given().header("Authorization", "Bearer wrong-token"),
                () -> given().header("Authorization", "Bearer " + Tenants.ADMIN_TOKEN + "x"),
                () -> given().header("Authorization", "Bearer " + Tenants.ADMIN_TOKEN.substring(1)),
                () -> given().header("Authorization", Tenants.ADMIN_TOKEN),
                () -> given().header("Authorization", "Basic " + Tenants.ADMIN_TOKEN),
                () -> given().header("Authorization", "Bearer "),
                // API keys are for /orders only, however powerful.
                () -> given().header("Authorization", "Bearer " + storefrontKey),
                () -> given().header("Authorization", "Bearer " + internalKey));
        for (Supplier<RequestSpecification> caller : callers) {
            unauthorized(caller.get().get("/admin/dispensaries/" + dispensary));
            unauthorized(caller.get()
                    .contentType(ContentType.JSON)
                    .body(VALID.replace("Green Leaf", "Taken Over"))
                    .put("/admin/dispensaries/" + dispensary));
            unauthorized(caller.get()
                    .contentType(ContentType.JSON)
                    .body("{\"role\": \"INTERNAL\"}")
                    .post("/admin/api-keys"));
            unauthorized(caller.get().delete("/admin/api-keys/key_0000000000000000"));
        }
        // Nothing a refused caller sent was applied.
        TENANTS.admin()
                .get("/admin/dispensaries/" + dispensary)
                .then()
                .statusCode(200)
                .body("name", equalTo("Green Leaf"));
    }

    @Test
    void asksForTheAdminTokenUnderEverySpellingOfTheAdminPath() throws Exception {
        String dispensary = TENANTS.newDispensary();
        for (String path : List.of(
                "//admin/dispensaries/",
                "/./admin/dispensaries/",
                "/x/../admin/dispensaries/",
                "/%61dmin/dispensaries/",
                "/admin;x=y/dispensaries/",
                "/admin/./dispensaries/")) {
            // 401, or 404 where the spelling reaches no resource at all; never the dispensary.
            assertThat(RawHttp.get(path + dispensary)).as(path).isIn(401, 404);
        }
        assertThat(RawHttp.get("//admin/dispensaries/" + dispensary)).isEqualTo(401);
    }

    @Test
    void createsADispensaryWith201AndUpdatesItWith200() {
        String id = newId();
        Instant createdAt = Instant.parse(TENANTS.admin()
                .contentType(ContentType.JSON)
                .body(Tenants.DISPENSARY)
                .put("/admin/dispensaries/" + id)
                .then()
                .statusCode(201)
                .contentType(ContentType.JSON)
                .body("id", equalTo(id))
                .body("name", equalTo("Green Leaf"))
                .body("minimumAge", equalTo(21))
                .extract()
                .<String>path("createdAt"));

        TENANTS.admin()
                .contentType(ContentType.JSON)
                .body(UPDATED)
                .put("/admin/dispensaries/" + id)
                .then()
                .statusCode(200)
                .body("name", equalTo("Green Leaf Downtown"));

        ValidatableResponse read = TENANTS.admin()
                .get("/admin/dispensaries/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("name", equalTo("Green Leaf Downtown"))
                .body("timezone", equalTo("America/New_York"))
                .body("fulfillment", equalTo(List.of("PICKUP")))
                .body("minimumAge", equalTo(18))
                .body("purchaseLimits.RECREATIONAL.flowerGrams", equalTo(56.7f))
                .body("purchaseLimits.RECREATIONAL.edibleThcMg", nullValue())
                .body("purchaseLimits.MEDICAL", nullValue());
        assertThat(Instant.parse(read.extract().<String>path("createdAt"))).isEqualTo(createdAt);
        assertThat(Instant.parse(read.extract().<String>path("updatedAt"))).isAfterOrEqualTo(createdAt);
    }

    @Test
    void appliesAnUpdatedRuleToTheNextOrder() {
        String id = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(id);
        String nineteen = OrderFixtures.pickup(id)
                .replace(
                        "1990-12-10",
                        LocalDate.now(ZoneId.of("America/New_York"))
                                .minusYears(19)
                                .toString());
        TENANTS.as(key)
                .contentType(ContentType.JSON)
                .body(nineteen)
                .post("/orders")
                .then()
                .statusCode(422);

        TENANTS.admin()
                .contentType(ContentType.JSON)
                .body(UPDATED)
                .put("/admin/dispensaries/" + id)
                .then()
                .statusCode(200);

        TENANTS.as(key)
                .contentType(ContentType.JSON)
                .body(nineteen)
                .post("/orders")
                .then()
                .statusCode(201);
        // Delivery is no longer offered.
        TENANTS.as(key)
                .contentType(ContentType.JSON)
                .body(OrderFixtures.delivery(id))
                .post("/orders")
                .then()
                .statusCode(422)
                .body("type", equalTo("/problems/fulfillment-not-offered"));
    }

    @Test
    void answers404ForAnUnknownDispensary() {
        TENANTS.admin()
                .get("/admin/dispensaries/" + newId())
                .then()
                .statusCode(404)
                .contentType(PROBLEM_JSON);
    }

    @Test
    void refusesInvalidDispensariesWith400NamingTheField() {
        record Invalid(String field, String body) {}
        List<Invalid> invalid = List.of(
                new Invalid("minimumAge", VALID.replace("\"minimumAge\": 21", "\"minimumAge\": 17")),
                new Invalid("minimumAge", VALID.replace("\"minimumAge\": 21", "\"minimumAge\": 22")),
                new Invalid("minimumAge", VALID.replace("\"minimumAge\": 21, ", "")),
                new Invalid("timezone", VALID.replace("America/Los_Angeles", "Mars/Olympus_Mons")),
                new Invalid("timezone", VALID.replace("America/Los_Angeles", "")),
                // Fixed offsets parse as zones, but miss the daylight-saving changes an age check depends on.
                new Invalid("timezone", VALID.replace("America/Los_Angeles", "-08:00")),
                new Invalid("timezone", VALID.replace("America/Los_Angeles", "UTC-08:00")),
                new Invalid("timezone", VALID.replace("America/Los_Angeles", "Z")),
                new Invalid("fulfillment", VALID.replace("[\"PICKUP\", \"DELIVERY\"]", "[]")),
                new Invalid("fulfillment", VALID.replace("\"fulfillment\": [\"PICKUP\", \"DELIVERY\"],", "")),
                new Invalid("flowerGrams", VALID.replace("28.35", "-1")),
                new Invalid("flowerGrams", VALID.replace("28.35", "-0.001")),
                new Invalid("edibleThcMg", VALID.replace("\"flowerGrams\": 28.35", "\"edibleThcMg\": -100")),
                // More decimals than PostgreSQL's numeric keeps: was a 500 from the insert.
                new Invalid("flowerGrams", VALID.replace("28.35", "1E-20000")),
                new Invalid("flowerGrams", VALID.replace("28.35", "28.3501")),
                new Invalid("name", VALID.replace("\"Green Leaf\"", "\"  \"")));
        for (Invalid body : invalid) {
            String id = newId();
            TENANTS.admin()
                    .contentType(ContentType.JSON)
                    .body(body.body())
                    .put("/admin/dispensaries/" + id)
                    .then()
                    .statusCode(400)
                    .contentType(PROBLEM_JSON)
                    .body("type", equalTo("/problems/validation"))
                    .body("violations.field", hasItem(containsString(body.field())));
            // A refused body creates nothing.
            TENANTS.admin().get("/admin/dispensaries/" + id).then().statusCode(404);
        }
    }

    @Test
    void concurrentPutsOfOneDispensaryAreAppliedOneAfterTheOther() throws Exception {
        for (int round = 0; round < 3; round++) {
            String id = newId();
            int puts = 8;
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(puts);
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> statuses = new ArrayList<>();
            try {
                for (int i = 0; i < puts; i++) {
                    String body = VALID.replace("Green Leaf", "Writer " + i);
                    statuses.add(pool.submit(() -> {
                        start.await();
                        return TENANTS.admin()
                                .contentType(ContentType.JSON)
                                .body(body)
                                .put("/admin/dispensaries/" + id)
                                .statusCode();
                    }));
                }
                start.countDown();
                List<Integer> answered = new ArrayList<>();
                for (java.util.concurrent.Future<Integer> status : statuses) {
                    answered.add(status.get(60, java.util.concurrent.TimeUnit.SECONDS));
                }
                // One created it, every other one updated it; none failed (it was a 500: duplicate key or a
                // stale version).
                assertThat(answered).as("round %d", round).containsOnly(200, 201);
                assertThat(answered.stream().filter(status -> status == 201)).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
            String name = TENANTS.admin()
                    .get("/admin/dispensaries/" + id)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("name");
            assertThat(name).startsWith("Writer ");
        }
    }

    @Test
    void refusesUnknownEnumValuesAndFieldsWith400() {
        List<String> malformed = List.of(
                VALID.replace("\"RECREATIONAL\"", "\"CHILD\""),
                VALID.replace("\"DELIVERY\"", "\"DRONE\""),
                VALID.replace("\"minimumAge\": 21", "\"minimumAge\": \"21\""),
                VALID.replace("\"flowerGrams\"", "\"seedCount\""),
                VALID.replace("\"name\"", "\"nmae\""),
                "{\"name\": ");
        for (String body : malformed) {
            String id = newId();
            TENANTS.admin()
                    .contentType(ContentType.JSON)
                    .body(body)
                    .put("/admin/dispensaries/" + id)
                    .then()
                    .statusCode(400)
                    .contentType(PROBLEM_JSON)
                    .body(not(containsString("java.")))
                    .body(not(containsString("io.dispensary")));
            TENANTS.admin().get("/admin/dispensaries/" + id).then().statusCode(404);
        }
    }

    @Test
    void refusesADispensaryIdOutsideItsAlphabetWith400() {
        TENANTS.admin()
                .contentType(ContentType.JSON)
                .body(VALID)
                .put("/admin/dispensaries/" + "x".repeat(65))
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON);
        TENANTS.admin()
                .contentType(ContentType.JSON)
                .body(VALID)
                .put("/admin/dispensaries/green leaf")
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON);
    }

    @Test
    void createsAStorefrontKeyForADispensary() {
        String dispensary = TENANTS.newDispensary();
        String apiKey = TENANTS.admin()
                .contentType(ContentType.JSON)
                .body("{\"role\": \"STOREFRONT\", \"dispensaryId\": \"" + dispensary + "\"}")
                .post("/admin/api-keys")
                .then()
                .statusCode(201)
                .contentType(ContentType.JSON)
                .body("keyId", matchesPattern("key_[0-9a-f]{16}"))
                .body("apiKey", startsWith("dsk_"))
                .body("role", equalTo("STOREFRONT"))
                .body("dispensaryId", equalTo(dispensary))
                .extract()
                .path("apiKey");
        TENANTS.as(apiKey).get("/orders").then().statusCode(200);
    }

    @Test
    void createsAnInternalKeyWithoutADispensary() {
        TENANTS.admin()
                .contentType(ContentType.JSON)
                .body("{\"role\": \"INTERNAL\"}")
                .post("/admin/api-keys")
                .then()
                .statusCode(201)
                .body("role", equalTo("INTERNAL"))
                .body("apiKey", startsWith("dsk_"))
                .body(not(containsString("dispensaryId")));
    }

    @Test
    void refusesAStorefrontKeyWithoutADispensaryWith400() {
        TENANTS.admin()
                .contentType(ContentType.JSON)
                .body("{\"role\": \"STOREFRONT\"}")
                .post("/admin/api-keys")
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("violations.field", hasItem("dispensaryId"));
    }

    @Test
    void refusesAStorefrontKeyForAnUnknownDispensaryWith422() {
        TENANTS.admin()
                .contentType(ContentType.JSON)
                .body("{\"role\": \"STOREFRONT\", \"dispensaryId\": \"" + newId() + "\"}")
                .post("/admin/api-keys")
                .then()
                .statusCode(422)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("/problems/unknown-dispensary"));
    }

    @Test
    void refusesAnInternalKeyWithADispensaryWith400() {
        String dispensary = TENANTS.newDispensary();
        TENANTS.admin()
                .contentType(ContentType.JSON)
                .body("{\"role\": \"INTERNAL\", \"dispensaryId\": \"" + dispensary + "\"}")
                .post("/admin/api-keys")
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("violations.field", hasItem("dispensaryId"));
    }

    @Test
    void refusesAKeyRequestWithoutAKnownRoleWith400() {
        for (String body : List.of("{}", "{\"role\": \"ADMIN\"}", "{\"role\": \"storefront\"}", "{\"role\": null}")) {
            TENANTS.admin()
                    .contentType(ContentType.JSON)
                    .body(body)
                    .post("/admin/api-keys")
                    .then()
                    .statusCode(400)
                    .contentType(PROBLEM_JSON);
        }
    }

    @Test
    void storesTheKeyOnlyAsItsSha256() throws Exception {
        String dispensary = TENANTS.newDispensary();
        ValidatableResponse created = TENANTS.admin()
                .contentType(ContentType.JSON)
                .body("{\"role\": \"STOREFRONT\", \"dispensaryId\": \"" + dispensary + "\"}")
                .post("/admin/api-keys")
                .then()
                .statusCode(201);
        String keyId = created.extract().path("keyId");
        String apiKey = created.extract().path("apiKey");
        String secret = apiKey.substring("dsk_".length());

        List<String> everyValue = new ArrayList<>();
        String keyHash = null;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT * FROM api_key");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                    String value = rows.getString(column);
                    if (value != null) {
                        everyValue.add(value);
                    }
                }
                if (keyId.equals(rows.getString("id"))) {
                    keyHash = rows.getString("key_hash");
                }
            }
        }
        assertThat(everyValue).isNotEmpty().noneMatch(value -> value.contains(secret));
        assertThat(everyValue).noneMatch(value -> value.toLowerCase().contains(secret.toLowerCase()));
        String sha256 = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8)));
        assertThat(keyHash).isEqualTo(sha256);
    }

    @Test
    void revokesAKeyWith204AndItIsRefusedAtOnce() {
        String dispensary = TENANTS.newDispensary();
        ValidatableResponse created = TENANTS.admin()
                .contentType(ContentType.JSON)
                .body("{\"role\": \"STOREFRONT\", \"dispensaryId\": \"" + dispensary + "\"}")
                .post("/admin/api-keys")
                .then()
                .statusCode(201);
        String keyId = created.extract().path("keyId");
        String apiKey = created.extract().path("apiKey");
        String order = TENANTS.as(apiKey)
                .contentType(ContentType.JSON)
                .body(OrderFixtures.pickup(dispensary))
                .post("/orders")
                .then()
                .statusCode(201)
                .extract()
                .path("orderNumber");

        TENANTS.admin().delete("/admin/api-keys/" + keyId).then().statusCode(204);

        unauthorized(TENANTS.as(apiKey).get("/orders"));
        unauthorized(TENANTS.as(apiKey).get("/orders/" + order));
        unauthorized(TENANTS.as(apiKey)
                .contentType(ContentType.JSON)
                .body(OrderFixtures.pickup(dispensary))
                .post("/orders"));
        // Revoking again changes nothing; another key of the same dispensary still works.
        TENANTS.admin().delete("/admin/api-keys/" + keyId).then().statusCode(204);
        TENANTS.as(TENANTS.storefrontKey(dispensary))
                .get("/orders/" + order)
                .then()
                .statusCode(200);
    }

    @Test
    void answers404WhenRevokingAnUnknownKey() {
        TENANTS.admin()
                .delete("/admin/api-keys/key_0123456789abcdef")
                .then()
                .statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("status", equalTo(404));
    }

    private static void unauthorized(io.restassured.response.Response response) {
        response.then()
                .statusCode(401)
                .contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", equalTo("Bearer"))
                .body("status", equalTo(401))
                .body(not(containsString(Tenants.ADMIN_TOKEN)));
    }

    private static String newId() {
        return "disp-" + UUID.randomUUID().toString().substring(0, 12);
    }
}
