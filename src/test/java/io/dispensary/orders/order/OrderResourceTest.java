package io.dispensary.orders.order;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.OrderNumbers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OrderResourceTest {

    private static final Tenants TENANTS = Tenants.local();
    private static String dispensary;
    private static String storefront;
    private static String internal;
    private static String PICKUP_ORDER;
    private static String TEST_ORDER;
    private static String DELIVERY_ORDER;

    @BeforeEach
    void setUpTenantsOnce() {
        if (dispensary == null) {
            dispensary = TENANTS.newDispensary();
            storefront = TENANTS.storefrontKey(dispensary);
            internal = TENANTS.internalKey();
            PICKUP_ORDER = OrderFixtures.pickup(dispensary);
            TEST_ORDER = OrderFixtures.testOrder(dispensary);
            DELIVERY_ORDER = OrderFixtures.delivery(dispensary);
        }
    }

    private static RequestSpecification storefront() {
        return TENANTS.as(storefront);
    }

    @Test
    void createsAPendingOrderWithAComputedTotalAndALocation() {
        String number = storefront()
                .contentType(ContentType.JSON)
                .body(PICKUP_ORDER)
                .when()
                .post("/orders")
                .then()
                .statusCode(201)
                .contentType(ContentType.JSON)
                .body("orderNumber", matchesPattern("[0-9]{9}"))
                .body("status", equalTo("PENDING"))
                .body("test", equalTo(false))
                .body("dispensaryId", equalTo(dispensary))
                .body("customer.name", equalTo("Ada Lovelace"))
                .body("fulfillment", equalTo("PICKUP"))
                .body("items.size()", equalTo(2))
                .body("items[0].lineTotalCents", equalTo(7000))
                .body("totalCents", equalTo(7000 + 1899))
                .body("createdAt", not(equalTo(null)))
                .extract()
                .path("orderNumber");

        storefront()
                .when()
                .get("/orders/" + number)
                .then()
                .statusCode(200)
                .body("orderNumber", equalTo(number))
                .body("totalCents", equalTo(8899));
    }

    @Test
    void answersTheLocationHeaderWithTheOrdersPath() {
        String number = storefront()
                .contentType(ContentType.JSON)
                .body(PICKUP_ORDER)
                .post("/orders")
                .then()
                .statusCode(201)
                .extract()
                .path("orderNumber");
        storefront()
                .contentType(ContentType.JSON)
                .body(DELIVERY_ORDER)
                .post("/orders")
                .then()
                .statusCode(201)
                .header("Location", matchesPattern("/orders/[0-9]{9}"))
                .body("deliveryAddress.city", equalTo("San Francisco"));
        storefront().get("/orders/" + number).then().statusCode(200);
    }

    @Test
    void givesTestOrdersADashTNumberFoundOnlyWithTheSuffix() {
        String number = TENANTS.as(internal)
                .contentType(ContentType.JSON)
                .body(TEST_ORDER)
                .post("/orders")
                .then()
                .statusCode(201)
                .body("test", equalTo(true))
                .body("orderNumber", matchesPattern("[0-9]{9}-T"))
                .extract()
                .path("orderNumber");

        TENANTS.as(internal).get("/orders/" + number).then().statusCode(200).body("test", equalTo(true));
        TENANTS.as(internal)
                .get("/orders/" + number.replace("-T", ""))
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void refusesAMistypedNumberWith400BeforeLookingItUp() {
        String number = storefront()
                .contentType(ContentType.JSON)
                .body(PICKUP_ORDER)
                .post("/orders")
                .then()
                .statusCode(201)
                .extract()
                .path("orderNumber");
        String swapped = number.charAt(1) + "" + number.charAt(0) + number.substring(2);
        if (swapped.equals(number)) {
            swapped = number.substring(0, 8) + (char) ('0' + (number.charAt(8) - '0' + 1) % 10);
        }

        storefront()
                .get("/orders/" + swapped)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/malformed-order-number"))
                .body("detail", containsString("check digit"));
        storefront().get("/orders/12ab").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void answers404ForAWellFormedNumberNobodyWasGiven() {
        String unissued = "99999999";
        unissued = OrderNumbers.withCheckDigit(unissued);
        storefront()
                .get("/orders/" + unissued)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not found"));
    }

    @Test
    void listsEveryInvalidFieldAsAViolation() {
        String body = PICKUP_ORDER
                .replace("+14155550123", "555-0123")
                .replace("\"quantity\": 2", "\"quantity\": 0")
                .replace("1990-12-10", "2999-01-01");
        storefront()
                .contentType(ContentType.JSON)
                .body(body)
                .post("/orders")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/validation"))
                .body("violations.field", hasItem("customer.phone"))
                .body("violations.field", hasItem("items[0].quantity"))
                .body("violations.field", hasItem("customer.birthDate"));
    }

    @Test
    void requiresADeliveryAddressForDelivery() {
        storefront()
                .contentType(ContentType.JSON)
                .body(PICKUP_ORDER.replace("\"PICKUP\"", "\"DELIVERY\""))
                .post("/orders")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("deliveryAddress"));
    }

    @Test
    void refusesMalformedJsonWrongTypesAndUnknownValuesWithoutClassNames() {
        storefront()
                .contentType(ContentType.JSON)
                .body("{\"dispensaryId\": ")
                .post("/orders")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/malformed-body"));
        storefront()
                .contentType(ContentType.JSON)
                .body(PICKUP_ORDER.replace("\"quantity\": 2", "\"quantity\": \"2\""))
                .post("/orders")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("items[0].quantity"))
                .body(not(containsString("java.")));
        storefront()
                .contentType(ContentType.JSON)
                .body(PICKUP_ORDER.replace("\"FLOWER\"", "\"SEEDS\""))
                .post("/orders")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("items[0].category"))
                .body("violations[0].message", containsString("FLOWER"))
                .body(not(containsString("io.dispensary")));
        storefront()
                .contentType(ContentType.JSON)
                .body(PICKUP_ORDER.replace(
                        "\"fulfillment\": \"PICKUP\",", "\"fulfillment\": \"PICKUP\", \"coupon\": 1,"))
                .post("/orders")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("coupon"));
    }

    @Test
    void refusesAnotherContentTypeAndAnOversizedBody() {
        storefront()
                .contentType(ContentType.TEXT)
                .body(PICKUP_ORDER)
                .post("/orders")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        String huge = PICKUP_ORDER.replace("Ada Lovelace", "A".repeat(300 * 1024));
        storefront()
                .contentType(ContentType.JSON)
                .body(huge)
                .post("/orders")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
    }

    @Test
    void servesTheOpenApiDocumentAndSwaggerUi() {
        given().get("/q/openapi?format=json").then().statusCode(200).body(containsString("/orders/{orderNumber}"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void answersUnknownPathsWithAProblem() {
        given().get("/nowhere")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", endsWith("not-found"));
    }
}
