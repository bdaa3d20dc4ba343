package io.dispensary.orders.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.dispensary.orders.tenant.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ValidatableResponse;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispensary's rules at create time: minimum age, offered fulfillment and per-order purchase limits. */
@QuarkusTest
class ComplianceTest {

    private static final Tenants TENANTS = Tenants.local();
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final LocalDate ADULT = LocalDate.parse("1990-12-10");

    /** Tenants.DISPENSARY's recreational limits. */
    private static final String FLOWER_LIMIT = "28.35";

    private static final String CONCENTRATE_LIMIT = "8";
    private static final String EDIBLE_LIMIT = "100";
    /** Tenants.DISPENSARY's medical flower limit; medical has no edible limit there. */
    private static final String MEDICAL_FLOWER_LIMIT = "226.8";

    private static final String PICKUP_ONLY_18_PLUS = """
            {"name": "Corner Store", "timezone": "America/Denver", "fulfillment": ["PICKUP"], "minimumAge": 18,
             "purchaseLimits": {}}""";
    /** Every limit zero: whatever counts toward one is refused, whatever does not is let through. */
    private static final String ZERO_LIMITS = """
            {"name": "Nothing Counts", "timezone": "America/New_York", "fulfillment": ["PICKUP", "DELIVERY"],
             "minimumAge": 21,
             "purchaseLimits": {
               "RECREATIONAL": {"flowerGrams": 0, "concentrateGrams": 0, "edibleThcMg": 0},
               "MEDICAL": {"flowerGrams": 0, "concentrateGrams": 0, "edibleThcMg": 0}}}""";

    private static final String NO_LIMITS = """
            {"name": "Anything Goes", "timezone": "America/Chicago", "fulfillment": ["PICKUP"], "minimumAge": 21}""";

    private static String dispensary;
    private static String storefront;
    private static String internal;

    @BeforeEach
    void setUpTenantsOnce() {
        if (dispensary == null) {
            dispensary = TENANTS.newDispensary();
            storefront = TENANTS.storefrontKey(dispensary);
            internal = TENANTS.internalKey();
        }
    }

    @Test
    void refusesACustomerYoungerThanTheMinimumAgeWith422() {
        LocalDate twenty = LocalDate.now(ZoneId.of("America/Los_Angeles")).minusYears(20);
        create(storefront, order(dispensary, "RECREATIONAL", twenty, flower(1, "3.5")))
                .statusCode(422)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("/problems/underage"))
                .body("violations[0].field", equalTo("customer.birthDate"));
    }

    @Test
    void takesTheMinimumAgeFromTheDispensary() {
        String eighteenPlus = newDispensary(PICKUP_ONLY_18_PLUS);
        LocalDate nineteen = LocalDate.now(ZoneId.of("America/Denver")).minusYears(19);
        create(internal, order(eighteenPlus, "RECREATIONAL", nineteen, flower(1, "3.5")))
                .statusCode(201);
        LocalDate seventeen = LocalDate.now(ZoneId.of("America/Denver")).minusYears(17);
        create(internal, order(eighteenPlus, "RECREATIONAL", seventeen, flower(1, "3.5")))
                .statusCode(422)
                .body("type", equalTo("/problems/underage"));
    }

    // A customer turning 21 today in the dispensary's time zone, at any moment of that day, midnight included:
    // ComplianceRulesTest, on a fixed clock, where this test had to wait out the wall clock's midnight.

    @Test
    void refusesAFulfillmentTheDispensaryDoesNotOfferWith422() {
        String pickupOnly = newDispensary(PICKUP_ONLY_18_PLUS);
        create(internal, OrderFixtures.delivery(pickupOnly))
                .statusCode(422)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("/problems/fulfillment-not-offered"))
                .body("violations[0].field", equalTo("fulfillment"));
        create(internal, OrderFixtures.pickup(pickupOnly)).statusCode(201);
    }

    @Test
    void refusesAnOrderOverAPurchaseLimitNamingTheCategoryTheLimitAndTheAmount() {
        ValidatableResponse response = create(
                        storefront, order(dispensary, "RECREATIONAL", ADULT, flower(8, "3.5"), preRoll(1, "0.5")))
                .statusCode(422)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("/problems/purchase-limit-exceeded"));
        assertThat(violations(response)).containsOnlyKeys("flowerGrams");
        assertOver(response, "flowerGrams", FLOWER_LIMIT, "28.5");
    }

    @Test
    void countsFlowerAndPreRollsByWeightTimesQuantityTowardFlowerGrams() {
        // 8 x 3.5 + 0.35 = 28.35, exactly the limit; a thousandth of a gram more is over it.
        create(storefront, order(dispensary, "RECREATIONAL", ADULT, flower(8, "3.5"), preRoll(1, "0.35")))
                .statusCode(201);
        assertOver(
                create(storefront, order(dispensary, "RECREATIONAL", ADULT, flower(8, "3.5"), preRoll(1, "0.351")))
                        .statusCode(422),
                "flowerGrams",
                FLOWER_LIMIT,
                "28.351");
        // Quantity counts: one line of 9 x 3.5.
        assertOver(
                create(storefront, order(dispensary, "RECREATIONAL", ADULT, flower(9, "3.5")))
                        .statusCode(422),
                "flowerGrams",
                FLOWER_LIMIT,
                "31.5");
        assertOver(
                create(storefront, order(dispensary, "RECREATIONAL", ADULT, preRoll(30, "1")))
                        .statusCode(422),
                "flowerGrams",
                FLOWER_LIMIT,
                "30");
    }

    @Test
    void countsConcentratesAndVapesByWeightTimesQuantityTowardConcentrateGrams() {
        // 4 + 8 x 0.5 = 8, exactly the limit.
        create(storefront, order(dispensary, "RECREATIONAL", ADULT, concentrate(1, "4"), vape(8, "0.5")))
                .statusCode(201);
        assertOver(
                create(storefront, order(dispensary, "RECREATIONAL", ADULT, concentrate(1, "4"), vape(9, "0.5")))
                        .statusCode(422),
                "concentrateGrams",
                CONCENTRATE_LIMIT,
                "8.5");
        assertOver(
                create(storefront, order(dispensary, "RECREATIONAL", ADULT, concentrate(3, "3")))
                        .statusCode(422),
                "concentrateGrams",
                CONCENTRATE_LIMIT,
                "9");
        // Flower weight is not concentrate weight: 28 g of flower beside 8 g of concentrate is within both.
        create(storefront, order(dispensary, "RECREATIONAL", ADULT, flower(8, "3.5"), concentrate(2, "4")))
                .statusCode(201);
    }

    @Test
    void countsEdiblesByThcTimesQuantityTowardEdibleThcMg() {
        create(storefront, order(dispensary, "RECREATIONAL", ADULT, edible(10, "10")))
                .statusCode(201);
        assertOver(
                create(storefront, order(dispensary, "RECREATIONAL", ADULT, edible(11, "10")))
                        .statusCode(422),
                "edibleThcMg",
                EDIBLE_LIMIT,
                "110");
        assertOver(
                create(storefront, order(dispensary, "RECREATIONAL", ADULT, edible(4, "20"), edible(3, "7")))
                        .statusCode(422),
                "edibleThcMg",
                EDIBLE_LIMIT,
                "101");
    }

    @Test
    void namesEveryLimitAnOrderIsOver() {
        ValidatableResponse response = create(
                        storefront,
                        order(dispensary, "RECREATIONAL", ADULT, flower(10, "3.5"), vape(10, "1"), edible(2, "100")))
                .statusCode(422);
        assertThat(violations(response)).containsOnlyKeys("flowerGrams", "concentrateGrams", "edibleThcMg");
        assertOver(response, "flowerGrams", FLOWER_LIMIT, "35");
        assertOver(response, "concentrateGrams", CONCENTRATE_LIMIT, "10");
        assertOver(response, "edibleThcMg", EDIBLE_LIMIT, "200");
    }

    @Test
    void appliesTheLimitsOfTheCustomersType() {
        // 31.5 g is over the recreational limit, well within the medical one.
        create(storefront, order(dispensary, "MEDICAL", ADULT, flower(9, "3.5")))
                .statusCode(201);
        assertOver(
                create(storefront, order(dispensary, "MEDICAL", ADULT, flower(65, "3.5")))
                        .statusCode(422),
                "flowerGrams",
                MEDICAL_FLOWER_LIMIT,
                "227.5");
    }

    @Test
    void treatsAMissingLimitAsNone() {
        // Tenants.DISPENSARY gives MEDICAL no edibleThcMg limit: any amount, and no measure needed.
        create(storefront, order(dispensary, "MEDICAL", ADULT, edible(100, "1000")))
                .statusCode(201);
        create(storefront, order(dispensary, "MEDICAL", ADULT, item("EDIBLE", 1, null, null)))
                .statusCode(201);
        // A dispensary without limits at all.
        String unlimited = newDispensary(NO_LIMITS);
        create(
                        internal,
                        order(
                                unlimited,
                                "RECREATIONAL",
                                ADULT,
                                flower(100, "100"),
                                edible(100, "1000"),
                                item("VAPE", 1, null, null)))
                .statusCode(201);
    }

    @Test
    void refusesAnItemInALimitedCategoryWithoutItsMeasure() {
        ValidatableResponse response = create(
                        storefront,
                        order(
                                dispensary,
                                "RECREATIONAL",
                                ADULT,
                                item("TOPICAL", 1, null, null),
                                item("FLOWER", 1, null, null),
                                item("EDIBLE", 1, "netWeightGrams", "5"),
                                item("VAPE", 1, "thcMg", "300")))
                .statusCode(422)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("/problems/measure-required"))
                .body("violations.field", hasItem("items[1].netWeightGrams"))
                .body("violations.field", hasItem("items[2].thcMg"))
                .body("violations.field", hasItem("items[3].netWeightGrams"));
        assertThat(response.extract().jsonPath().getList("violations.field", String.class))
                .as("the topical needs no measure")
                .hasSize(3);
    }

    @Test
    void neverCountsTopicalsOrAccessories() {
        String zero = newDispensary(ZERO_LIMITS);
        create(
                        internal,
                        order(
                                zero,
                                "RECREATIONAL",
                                ADULT,
                                item("TOPICAL", 100, "thcMg", "5000"),
                                item("TOPICAL", 100, "netWeightGrams", "500"),
                                item("ACCESSORY", 100, "netWeightGrams", "5000"),
                                item("ACCESSORY", 1, null, null),
                                item("TOPICAL", 1, null, null)))
                .statusCode(201);
        // A zero limit does hold: a thousandth of a gram of flower is over it.
        assertOver(
                create(internal, order(zero, "MEDICAL", ADULT, flower(1, "0.001")))
                        .statusCode(422),
                "flowerGrams",
                "0",
                "0.001");
    }

    @Test
    void refusesAnOrderForAnUnknownDispensaryWith422() {
        String nobody = "disp-nobody-" + UUID.randomUUID().toString().substring(0, 8);
        create(internal, OrderFixtures.pickup(nobody))
                .statusCode(422)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("/problems/unknown-dispensary"));
    }

    private static ValidatableResponse create(String key, String body) {
        return TENANTS.as(key)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/orders")
                .then();
    }

    private static String newDispensary(String body) {
        String id = "disp-" + UUID.randomUUID().toString().substring(0, 12);
        TENANTS.admin()
                .contentType(ContentType.JSON)
                .body(body)
                .put("/admin/dispensaries/" + id)
                .then()
                .statusCode(201);
        return id;
    }

    private static String order(String dispensaryId, String customerType, LocalDate birthDate, String... items) {
        return """
                {"dispensaryId": "%s",
                 "customer": {"name": "Ada Lovelace", "phone": "+14155550123", "birthDate": "%s", "type": "%s"},
                 "fulfillment": "PICKUP",
                 "items": [%s]}""".formatted(dispensaryId, birthDate, customerType, String.join(", ", items));
    }

    private static String flower(int quantity, String grams) {
        return item("FLOWER", quantity, "netWeightGrams", grams);
    }

    private static String preRoll(int quantity, String grams) {
        return item("PRE_ROLL", quantity, "netWeightGrams", grams);
    }

    private static String concentrate(int quantity, String grams) {
        return item("CONCENTRATE", quantity, "netWeightGrams", grams);
    }

    private static String vape(int quantity, String grams) {
        return item("VAPE", quantity, "netWeightGrams", grams);
    }

    private static String edible(int quantity, String thcMg) {
        return item("EDIBLE", quantity, "thcMg", thcMg);
    }

    /** An item; {@code measure} is netWeightGrams, thcMg or null for none. */
    private static String item(String category, int quantity, String measure, String value) {
        return """
                {"sku": "SKU-%1$s", "name": "A %1$s", "category": "%1$s", "quantity": %2$d, "unitPriceCents": 1000%3$s}""".formatted(category, quantity, measure == null ? "" : ", \"" + measure + "\": " + value);
    }

    /** The violations of a 422, by category, with the numbers as BigDecimal so that 28.35 stays 28.35. */
    private static Map<String, Map<String, Object>> violations(ValidatableResponse response) {
        List<Map<String, Object>> violations = response.extract()
                .jsonPath(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL))
                .getList("violations");
        return violations.stream().collect(Collectors.toMap(v -> (String) v.get("category"), v -> v));
    }

    private static void assertOver(ValidatableResponse response, String category, String limit, String amount) {
        response.body("type", equalTo("/problems/purchase-limit-exceeded"));
        Map<String, Object> violation = violations(response).get(category);
        assertThat(violation).as("a violation for " + category).isNotNull();
        assertThat(violation.get("field")).isEqualTo("items");
        // JsonPath gives whole numbers as Integer even when asked for BigDecimal.
        assertThat(new BigDecimal(violation.get("limit").toString())).isEqualByComparingTo(limit);
        assertThat(new BigDecimal(violation.get("amount").toString())).isEqualByComparingTo(amount);
    }
}
