package io.dispensary.orders.tenant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.dispensary.orders.order.OrderFixtures;
import io.dispensary.orders.testing.OrderNumbers;
import io.dispensary.orders.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who may do what with /orders: API keys, their roles and the walls between dispensaries. */
@QuarkusTest
class OrderAuthorizationTest {

    private static final Tenants TENANTS = Tenants.local();
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final int WALKED_ORDERS = 50;
    private static final String CONFIRM = "{\"to\": \"CONFIRMED\"}";
    private static final String CANCEL = "{\"to\": \"CANCELLED\", \"reason\": \"walking the numbers\"}";

    private static String dispensaryA;
    private static String dispensaryB;
    private static String storefrontA;
    private static String storefrontB;
    private static String internal;
    private static String orderOfA;

    @BeforeEach
    void setUpTwoDispensariesOnce() {
        if (dispensaryA == null) {
            dispensaryA = TENANTS.newDispensary();
            dispensaryB = TENANTS.newDispensary();
            storefrontA = TENANTS.storefrontKey(dispensaryA);
            storefrontB = TENANTS.storefrontKey(dispensaryB);
            internal = TENANTS.internalKey();
            orderOfA = TENANTS.createOrder(storefrontA, OrderFixtures.pickup(dispensaryA));
        }
    }

    @Test
    void refusesEveryOrdersCallWithoutAValidKeyWith401() {
        String revoked = revokedKey();
        List<Supplier<RequestSpecification>> callers = List.of(
                () -> given(),
                () -> given().header("Authorization", "Bearer"),
                () -> given().header("Authorization", "Bearer    "),
                () -> given().header("Authorization", storefrontA),
                () -> given().header("Authorization", "Basic " + storefrontA),
                () -> given().header("Authorization", "Token " + storefrontA),
                () -> given().header("Authorization", "Bearer " + storefrontA.substring(0, storefrontA.length() - 1)),
                () -> given().header("Authorization", "Bearer " + storefrontA + "x"),
                () -> given().header("Authorization", "Bearer " + storefrontA.substring("dsk_".length())),
                () -> given().header("Authorization", "Bearer dsk_" + "A".repeat(43)),
                () -> given().header("Authorization", "Bearer dsk_" + "A".repeat(2000)),
                () -> given().header("Authorization", "Bearer " + revoked),
                // The admin token opens /admin only.
                () -> given().header("Authorization", "Bearer " + Tenants.ADMIN_TOKEN));
        for (Supplier<RequestSpecification> caller : callers) {
            for (Function<RequestSpecification, Response> call : everyOrdersCall()) {
                unauthorized(call.apply(caller.get()));
            }
        }
        // The order is untouched by all of that.
        TENANTS.as(storefrontA)
                .get("/orders/" + orderOfA)
                .then()
                .statusCode(200)
                .body("status", equalTo("PENDING"));
    }

    @Test
    void answers401BeforeLookingAtTheRequest() {
        // An invalid body, a malformed number and a bad filter: a caller without a key learns nothing from them.
        unauthorized(given().contentType(ContentType.JSON)
                .body("{\"dispensaryId\": ")
                .post("/orders"));
        unauthorized(given().get("/orders/12ab"));
        unauthorized(given().queryParam("limit", "0").get("/orders"));
        unauthorized(given().contentType(ContentType.JSON)
                .body("{\"to\": \"SHIPPED\"}")
                .post("/orders/" + orderOfA + "/transitions"));
        // (Routing comes first, though: a wrong method, path or content type is a 404, 405 or 415 even
        // without a key. Those say only what the public OpenAPI document says.)
    }

    @Test
    void asksForAKeyUnderEverySpellingOfTheOrdersPath() throws Exception {
        for (String path : List.of(
                "//orders",
                "/./orders",
                "/x/../orders",
                "/%6Frders",
                "/orders;x=y",
                "/orders/",
                "//orders/" + orderOfA,
                "/orders/./" + orderOfA,
                "/%6Frders/" + orderOfA)) {
            // 401, or 404 where the spelling reaches no resource at all; never an order, nor a 500.
            assertThat(RawHttp.get(path)).as(path).isIn(401, 404);
        }
        assertThat(RawHttp.get("/x/../orders/" + orderOfA)).isEqualTo(401);
    }

    @Test
    void refusesAStorefrontCreatingForAnotherDispensaryWith403() {
        int ordersOfB = TENANTS.as(storefrontB)
                .queryParam("limit", 100)
                .get("/orders")
                .then()
                .statusCode(200)
                .extract()
                .path("items.size()");
        TENANTS.as(storefrontA)
                .contentType(ContentType.JSON)
                .body(OrderFixtures.pickup(dispensaryB))
                .post("/orders")
                .then()
                .statusCode(403)
                .contentType(PROBLEM_JSON)
                .body("status", equalTo(403));
        // Also for a dispensary that does not exist: the key's scope is checked first, so nothing is revealed.
        TENANTS.as(storefrontA)
                .contentType(ContentType.JSON)
                .body(OrderFixtures.pickup("disp-nobody"))
                .post("/orders")
                .then()
                .statusCode(403);
        // Nothing was created for B: an order A's key slipped in would be B's, so count B's orders.
        TENANTS.as(storefrontB)
                .queryParam("limit", 100)
                .get("/orders")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(ordersOfB));
    }

    @Test
    void answersAnotherDispensarysOrderExactlyLikeAMissingOne() {
        String missing = unissuedNumber();
        Response foreign = TENANTS.as(storefrontB).get("/orders/" + orderOfA);
        Response absent = TENANTS.as(storefrontB).get("/orders/" + missing);
        assertSameNotFound(foreign, orderOfA, absent, missing);

        Response foreignMove = TENANTS.as(storefrontB)
                .contentType(ContentType.JSON)
                .body(CONFIRM)
                .post("/orders/" + orderOfA + "/transitions");
        Response absentMove = TENANTS.as(storefrontB)
                .contentType(ContentType.JSON)
                .body(CONFIRM)
                .post("/orders/" + missing + "/transitions");
        assertSameNotFound(foreignMove, orderOfA, absentMove, missing);
    }

    @Test
    void aStorefrontWalkingTheOrderNumbersOfAnotherDispensarySeesOnly404s() {
        String dispensary = TENANTS.newDispensary();
        String owner = TENANTS.storefrontKey(dispensary);
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < WALKED_ORDERS; i++) {
            numbers.add(TENANTS.createOrder(
                    owner, i % 2 == 0 ? OrderFixtures.pickup(dispensary) : OrderFixtures.delivery(dispensary)));
        }

        for (String number : numbers) {
            notFound(TENANTS.as(storefrontB).get("/orders/" + number));
            notFound(TENANTS.as(storefrontB)
                    .contentType(ContentType.JSON)
                    .body(CONFIRM)
                    .post("/orders/" + number + "/transitions"));
            notFound(TENANTS.as(storefrontB)
                    .contentType(ContentType.JSON)
                    .body(CANCEL)
                    .post("/orders/" + number + "/transitions"));
            // A stale If-Match must not turn the 404 into a 412 that says the order exists.
            notFound(TENANTS.as(storefrontB)
                    .contentType(ContentType.JSON)
                    .header("If-Match", "\"7\"")
                    .body(CONFIRM)
                    .post("/orders/" + number + "/transitions"));
        }

        // None of it moved an order.
        for (String number : numbers) {
            TENANTS.as(owner)
                    .get("/orders/" + number)
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("PENDING"))
                    .body("version", equalTo(0))
                    .body("history", hasSize(1));
        }
    }

    @Test
    void refusesATestOrderFromAStorefrontKeyWith403() {
        TENANTS.as(storefrontA)
                .contentType(ContentType.JSON)
                .body(OrderFixtures.testOrder(dispensaryA))
                .post("/orders")
                .then()
                .statusCode(403)
                .contentType(PROBLEM_JSON);
        TENANTS.as(internal)
                .queryParam("dispensaryId", dispensaryA)
                .queryParam("test", "true")
                .get("/orders")
                .then()
                .statusCode(200)
                .body("items", empty());
        // "test": false is a real order, which a storefront may create.
        TENANTS.as(storefrontA)
                .contentType(ContentType.JSON)
                .body(OrderFixtures.order(dispensaryA).test(false).json())
                .post("/orders")
                .then()
                .statusCode(201)
                .body("test", equalTo(false));
    }

    @Test
    void refusesAStorefrontKeyEveryUseOfItsDispensarysTestOrdersWithTheSame403() {
        String testOrder = TENANTS.createOrder(internal, OrderFixtures.testOrder(dispensaryA));
        String created = TENANTS.as(storefrontA)
                .contentType(ContentType.JSON)
                .body(OrderFixtures.testOrder(dispensaryA))
                .post("/orders")
                .then()
                .statusCode(403)
                .contentType(PROBLEM_JSON)
                .extract()
                .path("detail");
        List<Response> refused = List.of(
                TENANTS.as(storefrontA)
                        .contentType(ContentType.JSON)
                        .body(CONFIRM)
                        .post("/orders/" + testOrder + "/transitions"),
                TENANTS.as(storefrontA)
                        .contentType(ContentType.JSON)
                        .body(CANCEL)
                        .post("/orders/" + testOrder + "/transitions"),
                TENANTS.as(storefrontA).get("/orders/" + testOrder),
                TENANTS.as(storefrontA).queryParam("test", "true").get("/orders"));
        for (Response response : refused) {
            response.then()
                    .statusCode(403)
                    .contentType(PROBLEM_JSON)
                    .body("type", equalTo("/problems/forbidden"))
                    .body("detail", equalTo(created));
        }
        // Nothing moved, and staff still do all of it.
        TENANTS.as(internal)
                .get("/orders/" + testOrder)
                .then()
                .statusCode(200)
                .body("status", equalTo("PENDING"))
                .body("version", equalTo(0));
        TENANTS.as(internal)
                .contentType(ContentType.JSON)
                .body(CONFIRM)
                .post("/orders/" + testOrder + "/transitions")
                .then()
                .statusCode(200)
                .body("status", equalTo("CONFIRMED"));
    }

    @Test
    void answersAStorefrontKeyThe403ForATestNumberWhetherOrNotItWasIssued() {
        // Told by the -T alone: the 403 says nothing of which test numbers exist.
        String unissued = OrderNumbers.withCheckDigit("99999999") + "-T";
        TENANTS.as(storefrontA).get("/orders/" + unissued).then().statusCode(403);
        TENANTS.as(internal).get("/orders/" + unissued).then().statusCode(404);
    }

    @Test
    void letsAnInternalKeyReadBothDispensariesOrders() {
        String orderOfB = TENANTS.createOrder(storefrontB, OrderFixtures.delivery(dispensaryB));
        TENANTS.as(internal)
                .get("/orders/" + orderOfA)
                .then()
                .statusCode(200)
                .body("dispensaryId", equalTo(dispensaryA));
        TENANTS.as(internal)
                .get("/orders/" + orderOfB)
                .then()
                .statusCode(200)
                .body("dispensaryId", equalTo(dispensaryB));
        TENANTS.as(internal)
                .queryParam("dispensaryId", dispensaryB)
                .get("/orders")
                .then()
                .statusCode(200)
                .body("items.orderNumber", hasItem(orderOfB));
        TENANTS.as(internal)
                .queryParam("dispensaryId", dispensaryA)
                .get("/orders")
                .then()
                .statusCode(200)
                .body("items.orderNumber", hasItem(orderOfA));
        // And each storefront still sees only its own.
        notFound(TENANTS.as(storefrontA).get("/orders/" + orderOfB));
    }

    @Test
    void recordsWhichKeyMovedAnOrder() {
        String number = TENANTS.createOrder(storefrontA, OrderFixtures.pickup(dispensaryA));
        String byInternal = TENANTS.as(internal)
                .contentType(ContentType.JSON)
                .body(CONFIRM)
                .post("/orders/" + number + "/transitions")
                .then()
                .statusCode(200)
                .extract()
                .path("history[1].by");
        String byStorefront = TENANTS.as(storefrontA)
                .get("/orders/" + number)
                .then()
                .statusCode(200)
                .extract()
                .path("history[0].by");
        // Key ids, never the keys themselves.
        assertThat(byInternal).startsWith("key_").isNotEqualTo(byStorefront);
        assertThat(byStorefront).startsWith("key_");
        TENANTS.as(storefrontA)
                .get("/orders/" + number)
                .then()
                .body(not(containsString(storefrontA)))
                .body(not(containsString(internal)));
    }

    /** POST, GET one, list and transition: every /orders endpoint. */
    private static List<Function<RequestSpecification, Response>> everyOrdersCall() {
        return List.of(
                request -> request.contentType(ContentType.JSON)
                        .body(OrderFixtures.pickup(dispensaryA))
                        .post("/orders"),
                request -> request.get("/orders/" + orderOfA),
                request -> request.get("/orders"),
                request -> request.contentType(ContentType.JSON)
                        .body(CONFIRM)
                        .post("/orders/" + orderOfA + "/transitions"));
    }

    /** A key that worked until it was revoked. */
    private static String revokedKey() {
        ValidatableResponse created = TENANTS.admin()
                .contentType(ContentType.JSON)
                .body("{\"role\": \"STOREFRONT\", \"dispensaryId\": \"" + dispensaryA + "\"}")
                .post("/admin/api-keys")
                .then()
                .statusCode(201);
        String apiKey = created.extract().path("apiKey");
        TENANTS.as(apiKey).get("/orders").then().statusCode(200);
        TENANTS.admin()
                .delete("/admin/api-keys/" + created.extract().path("keyId"))
                .then()
                .statusCode(204);
        return apiKey;
    }

    /** A well-formed number (right check digit) that no order has: the sequence is far from its end. */
    private static String unissuedNumber() {
        String payload = "99999999";
        return OrderNumbers.withCheckDigit(payload);
    }

    private static void unauthorized(Response response) {
        response.then()
                .statusCode(401)
                .contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", equalTo("Bearer"))
                .body("type", equalTo("/problems/unauthorized"));
    }

    private static void notFound(Response response) {
        response.then()
                .statusCode(404)
                .contentType(PROBLEM_JSON)
                .header("ETag", nullValue())
                .body("type", equalTo("/problems/not-found"));
    }

    /** Same status, type, title, fields and headers; the detail and instance differ only by the number. */
    private static void assertSameNotFound(
            Response foreign, String foreignNumber, Response absent, String absentNumber) {
        notFound(foreign);
        notFound(absent);
        JsonPath one = foreign.jsonPath();
        JsonPath other = absent.jsonPath();
        assertThat(one.getMap("$").keySet()).isEqualTo(other.getMap("$").keySet());
        for (String field : List.of("status", "type", "title")) {
            assertThat(one.getString(field)).as(field).isEqualTo(other.getString(field));
        }
        for (String field : List.of("detail", "instance")) {
            assertThat(one.getString(field).replace(foreignNumber, "N"))
                    .as(field)
                    .isEqualTo(other.getString(field).replace(absentNumber, "N"));
        }
        assertThat(headerNames(foreign)).isEqualTo(headerNames(absent));
    }

    private static Set<String> headerNames(Response response) {
        Set<String> names = new TreeSet<>();
        response.headers().forEach(header -> names.add(header.getName().toLowerCase(Locale.ROOT)));
        return names;
    }
}
