package io.dispensary.orders.order;

import static io.dispensary.orders.order.OrderFixtures.DELIVERY_ORDER;
import static io.dispensary.orders.order.OrderFixtures.DISPENSARY;
import static io.dispensary.orders.order.OrderFixtures.PICKUP_ORDER;
import static io.dispensary.orders.order.OrderFixtures.TEST_ORDER;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import io.dispensary.orders.ordernumber.DammCheckDigit;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OrderResourceTest {

    @Test
    void createsAPendingOrderWithAComputedTotalAndALocation() {
        String number = given().contentType(ContentType.JSON).body(PICKUP_ORDER)
                .when().post("/orders")
                .then().statusCode(201)
                .contentType(ContentType.JSON)
                .body("orderNumber", matchesPattern("[0-9]{9}"))
                .body("status", equalTo("PENDING"))
                .body("test", equalTo(false))
                .body("dispensaryId", equalTo(DISPENSARY))
                .body("customer.name", equalTo("Ada Lovelace"))
                .body("fulfillment", equalTo("PICKUP"))
                .body("items.size()", equalTo(2))
                .body("items[0].lineTotalCents", equalTo(7000))
                .body("totalCents", equalTo(7000 + 1899))
                .body("createdAt", not(equalTo(null)))
                .extract().path("orderNumber");

        given().when().get("/orders/" + number)
                .then().statusCode(200)
                .body("orderNumber", equalTo(number))
                .body("totalCents", equalTo(8899));
    }

    @Test
    void answersTheLocationHeaderWithTheOrdersPath() {
        String number = given().contentType(ContentType.JSON).body(PICKUP_ORDER)
                .post("/orders").then().statusCode(201).extract().path("orderNumber");
        given().contentType(ContentType.JSON).body(DELIVERY_ORDER)
                .post("/orders").then().statusCode(201)
                .header("Location", matchesPattern("/orders/[0-9]{9}"))
                .body("deliveryAddress.city", equalTo("San Francisco"));
        given().get("/orders/" + number).then().statusCode(200);
    }

    @Test
    void givesTestOrdersADashTNumberFoundOnlyWithTheSuffix() {
        String number = given().contentType(ContentType.JSON).body(TEST_ORDER)
                .post("/orders").then().statusCode(201)
                .body("test", equalTo(true))
                .body("orderNumber", matchesPattern("[0-9]{9}-T"))
                .extract().path("orderNumber");

        given().get("/orders/" + number).then().statusCode(200).body("test", equalTo(true));
        given().get("/orders/" + number.replace("-T", "")).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void refusesAMistypedNumberWith400BeforeLookingItUp() {
        String number = given().contentType(ContentType.JSON).body(PICKUP_ORDER)
                .post("/orders").then().statusCode(201).extract().path("orderNumber");
        String swapped = number.charAt(1) + "" + number.charAt(0) + number.substring(2);
        if (swapped.equals(number)) {
            swapped = number.substring(0, 8) + (char) ('0' + (number.charAt(8) - '0' + 1) % 10);
        }

        given().get("/orders/" + swapped).then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/malformed-order-number"))
                .body("detail", containsString("check digit"));
        given().get("/orders/12ab").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void answers404ForAWellFormedNumberNobodyWasGiven() {
        String unissued = "99999999";
        unissued = unissued + DammCheckDigit.compute(unissued);
        given().get("/orders/" + unissued).then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not found"));
    }

    @Test
    void listsEveryInvalidFieldAsAViolation() {
        String body = PICKUP_ORDER.replace("+14155550123", "555-0123")
                .replace("\"quantity\": 2", "\"quantity\": 0")
                .replace("1990-12-10", "2999-01-01");
        given().contentType(ContentType.JSON).body(body)
                .post("/orders").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/validation"))
                .body("violations.field", hasItem("customer.phone"))
                .body("violations.field", hasItem("items[0].quantity"))
                .body("violations.field", hasItem("customer.birthDate"));
    }

    @Test
    void requiresADeliveryAddressForDelivery() {
        given().contentType(ContentType.JSON)
                .body(PICKUP_ORDER.replace("\"PICKUP\"", "\"DELIVERY\""))
                .post("/orders").then().statusCode(400)
                .body("violations[0].field", equalTo("deliveryAddress"));
    }

    @Test
    void refusesMalformedJsonWrongTypesAndUnknownValuesWithoutClassNames() {
        given().contentType(ContentType.JSON).body("{\"dispensaryId\": ")
                .post("/orders").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/malformed-body"));
        given().contentType(ContentType.JSON).body(PICKUP_ORDER.replace("\"quantity\": 2", "\"quantity\": \"2\""))
                .post("/orders").then().statusCode(400)
                .body("violations[0].field", equalTo("items[0].quantity"))
                .body(not(containsString("java.")));
        given().contentType(ContentType.JSON).body(PICKUP_ORDER.replace("\"FLOWER\"", "\"SEEDS\""))
                .post("/orders").then().statusCode(400)
                .body("violations[0].field", equalTo("items[0].category"))
                .body("violations[0].message", containsString("FLOWER"))
                .body(not(containsString("io.dispensary")));
        given().contentType(ContentType.JSON).body(PICKUP_ORDER.replace("\"test\"", "\"tset\"")
                        .replace("\"fulfillment\": \"PICKUP\",", "\"fulfillment\": \"PICKUP\", \"coupon\": 1,"))
                .post("/orders").then().statusCode(400)
                .body("violations[0].field", equalTo("coupon"));
    }

    @Test
    void refusesAnotherContentTypeAndAnOversizedBody() {
        given().contentType(ContentType.TEXT).body(PICKUP_ORDER)
                .post("/orders").then().statusCode(415).contentType("application/problem+json");
        String huge = PICKUP_ORDER.replace("Ada Lovelace", "A".repeat(300 * 1024));
        given().contentType(ContentType.JSON).body(huge)
                .post("/orders").then().statusCode(413).contentType("application/problem+json");
    }

    @Test
    void servesTheOpenApiDocumentAndSwaggerUi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("/orders/{orderNumber}"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void answersUnknownPathsWithAProblem() {
        given().get("/nowhere").then().statusCode(404).contentType("application/problem+json")
                .body("type", endsWith("not-found"));
    }
}
