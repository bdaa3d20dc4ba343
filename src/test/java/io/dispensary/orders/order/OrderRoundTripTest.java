package io.dispensary.orders.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dispensary.orders.tenant.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Create-order writes with one JDBC statement and reads go through the entities (order/OrderStore): two
 * mappings of the same columns. Every POST /orders body must equal, field for field, the GET that follows, or
 * one of them maps a column differently. The same for a dispensary, whose jsonb columns are written by
 * Hibernate and read back with JDBC for each order.
 *
 * <p>A JSON tree compares numbers by value (3.5 equals 3.500 once read as doubles), so the measures are also
 * compared as the text each body carries: a client comparing the 201 with a later GET sees exactly that text.
 */
@QuarkusTest
class OrderRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MEASURE = Pattern.compile("\"(netWeightGrams|thcMg)\"\\s*:\\s*([-+0-9.eE]+)");
    /** Fixed, so a failure repeats; a new seed samples other orders. */
    private static final long SEED = 20261201L;

    private static final Tenants TENANTS = Tenants.local();
    private static String dispensary;
    private static String storefrontKey;
    private static String internalKey;

    /** Once, but after the service has started: a static @BeforeAll would run before it listens. */
    @BeforeEach
    void setUpTenantsOnce() {
        if (dispensary == null) {
            dispensary = TENANTS.newDispensary();
            storefrontKey = TENANTS.storefrontKey(dispensary);
            internalKey = TENANTS.internalKey();
        }
    }

    @Test
    void aPickupOrderReadsBackAsItWasCreated() throws Exception {
        assertRoundTrip(storefrontKey, OrderFixtures.pickup(dispensary));
    }

    @Test
    void aDeliveryOrderReadsBackWithItsAddress() throws Exception {
        assertRoundTrip(storefrontKey, OrderFixtures.delivery(dispensary));
    }

    @Test
    void aTestOrderReadsBackAsATestOrder() throws Exception {
        assertRoundTrip(internalKey, OrderFixtures.testOrder(dispensary));
    }

    @Test
    void sampledOrdersOfEveryShapeReadBackAsTheyWereCreated() throws Exception {
        Random random = new Random(SEED);
        for (int i = 0; i < 20; i++) {
            assertRoundTrip(storefrontKey, sampledOrder(random));
        }
    }

    @Test
    void measuresAreWrittenInTheirShortestFormByCreateAndByGet() throws Exception {
        String body = OrderFixtures.pickup(dispensary)
                .replace("\"netWeightGrams\": 3.5", "\"netWeightGrams\": 3.50")
                .replace("\"thcMg\": 100}", "\"thcMg\": 100.0}");
        ExtractableResponse<Response> created = TENANTS.as(storefrontKey)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/orders")
                .then()
                .statusCode(201)
                .extract();
        String read = TENANTS.as(storefrontKey)
                .get(created.header("Location"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        // Not the column's scale (3.500, 100.000) nor an exponent (1E+2): the number a person would write.
        List<String> expected = List.of("netWeightGrams=3.5", "thcMg=100");
        assertThat(measureTexts(created.asString())).as("POST /orders").isEqualTo(expected);
        assertThat(measureTexts(read)).as("GET %s", created.header("Location")).isEqualTo(expected);
    }

    @Test
    void aDispensaryReadsBackAsItWasStored() throws Exception {
        JsonNode put = JSON.readTree(TENANTS.admin()
                .contentType(ContentType.JSON)
                .body(Tenants.DISPENSARY)
                .put("/admin/dispensaries/" + dispensary)
                .then()
                .statusCode(200)
                .extract()
                .asString());
        JsonNode get = JSON.readTree(TENANTS.admin()
                .get("/admin/dispensaries/" + dispensary)
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertThat(get).isEqualTo(put);
    }

    private static void assertRoundTrip(String apiKey, String body) throws Exception {
        ExtractableResponse<Response> created = TENANTS.as(apiKey)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/orders")
                .then()
                .statusCode(201)
                .extract();
        JsonNode posted = JSON.readTree(created.asString());
        JsonNode read = JSON.readTree(TENANTS.as(apiKey)
                .get(created.header("Location"))
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertThat(read)
                .as("GET %s after POST %s", created.header("Location"), body)
                .isEqualTo(posted);
        String readText = TENANTS.as(apiKey).get(created.header("Location")).asString();
        assertThat(measureTexts(readText))
                .as("the measures' JSON text of GET %s after POST %s", created.header("Location"), body)
                .isEqualTo(measureTexts(created.asString()));
    }

    /** Each measure of a body, in order, as {@code name=text}: the number exactly as the JSON writes it. */
    private static List<String> measureTexts(String json) {
        List<String> texts = new ArrayList<>();
        Matcher measure = MEASURE.matcher(json);
        while (measure.find()) {
            texts.add(measure.group(1) + "=" + measure.group(2));
        }
        return texts;
    }

    /** A pickup or delivery order of 1 to 5 lines, within the dispensary's limits, with optional fields varied. */
    private static String sampledOrder(Random random) {
        String[] categories = {"FLOWER", "PRE_ROLL", "EDIBLE", "CONCENTRATE", "VAPE", "TOPICAL", "ACCESSORY"};
        List<String> items = new ArrayList<>();
        int lines = 1 + random.nextInt(5);
        for (int line = 0; line < lines; line++) {
            String category = categories[random.nextInt(categories.length)];
            StringBuilder item = new StringBuilder("{\"sku\": \"SKU-" + random.nextInt(1000) + "\", \"name\": \"Item "
                    + line + " \u00e9\u00df\", \"category\": \"" + category
                    + "\", \"quantity\": 1, \"unitPriceCents\": "
                    + random.nextInt(100_000));
            // Limited categories must carry their measure; small amounts keep every order within the limits.
            item.append(", \"netWeightGrams\": 0.").append(random.nextInt(999) + 1);
            item.append(", \"thcMg\": ").append(random.nextInt(9) + 1).append(random.nextBoolean() ? ".5" : "");
            items.add(item.append('}').toString());
        }
        boolean delivery = random.nextBoolean();
        return """
                {"dispensaryId": "%s",
                 "customer": {"name": "Customer %d", "phone": "+1415555%04d", %s"birthDate": "19%02d-0%d-1%d",
                              "type": "%s"},
                 "fulfillment": "%s", %s
                 "items": [%s]}""".formatted(
                        dispensary,
                        random.nextInt(1000),
                        random.nextInt(10_000),
                        random.nextBoolean() ? "\"email\": \"c" + random.nextInt(100) + "@example.com\", " : "",
                        random.nextInt(80),
                        1 + random.nextInt(9),
                        random.nextInt(10),
                        random.nextBoolean() ? "RECREATIONAL" : "MEDICAL",
                        delivery ? "DELIVERY" : "PICKUP",
                        delivery
                                ? "\"deliveryAddress\": {\"line1\": \"1 Market St\", "
                                        + (random.nextBoolean() ? "\"line2\": \"Unit 4\", " : "")
                                        + "\"city\": \"San Francisco\", \"region\": \"CA\", \"postalCode\": \"94105\"},"
                                : "",
                        String.join(", ", items));
    }
}
