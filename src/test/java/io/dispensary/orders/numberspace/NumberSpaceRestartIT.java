package io.dispensary.orders.numberspace;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.matchesPattern;

import io.dispensary.orders.order.OrderFixtures;
import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.Database;
import io.dispensary.orders.testing.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Restarts the packaged service with other widths and keys against one database, as an operator would when
 * the number space runs low, and checks what must survive and what must be refused.
 */
class NumberSpaceRestartIT {

    private static final String KEY = "6f0a3c1b2d4e5f60718293a4b5c6d7e8";
    private static final String OTHER_KEY = "0badc0de0badc0de0badc0de0badc0de";

    @Test
    void wideningFromSixToSevenDigitsKeepsOldNumbersResolvableAndAnswersExhaustionWithAFast503() throws Exception {
        String url = Database.freshSchema("widening");
        List<String> sixDigitNumbers = new ArrayList<>();

        Storefront storefront;
        try (ServiceProcess six = ServiceProcess.start(url, env(6, KEY)).awaitReady()) {
            storefront = Storefront.on(six);
            sixDigitNumbers.add(create(six, storefront));
            // Jump to the end of the 6-digit space, as if a million orders had been taken.
            execute(url, "SELECT setval('order_number_seq', 999998)");
            sixDigitNumbers.add(create(six, storefront));
            assertThat(sixDigitNumbers).allMatch(n -> n.matches("[0-9]{7}"));

            for (int attempt = 0; attempt < 3; attempt++) {
                storefront
                        .request()
                        .body(OrderFixtures.pickup(storefront.dispensary()))
                        .post("/orders")
                        .then()
                        .statusCode(503)
                        .contentType("application/problem+json")
                        .header("Retry-After", matchesPattern("[0-9]+"))
                        .body("type", endsWith("/order-numbers-exhausted"))
                        .body("detail", containsString("orders.order-number.digits"));
            }
            given().baseUri(six.managementUri())
                    .get("/q/metrics")
                    .then()
                    .statusCode(200)
                    .body(containsString("orders_number_space_exhausted_total{namespace=\"production\"} 3.0"));
            assertThat(six.output()).containsOnlyOnce("order-number space of 6 digits is exhausted");
            // Test orders have a space of their own, untouched by production's exhaustion.
            storefront
                    .tenants()
                    .as(storefront.tenants().internalKey())
                    .contentType(ContentType.JSON)
                    .body(OrderFixtures.testOrder(storefront.dispensary()))
                    .post("/orders")
                    .then()
                    .statusCode(201)
                    .body("orderNumber", matchesPattern("[0-9]{7}-T"));
        }
        assertThat(count(url, "SELECT count(*) FROM customer_order WHERE NOT test"))
                .isEqualTo(2);
        // The three creates refused as exhausted wrote no event: one per stored order, the test order's included.
        assertThat(count(url, "SELECT count(*) FROM order_event WHERE type = 'order.created'"))
                .isEqualTo(count(url, "SELECT count(*) FROM customer_order"))
                .isEqualTo(3);

        try (ServiceProcess seven = ServiceProcess.start(url, env(7, KEY)).awaitReady()) {
            for (String old : sixDigitNumbers) {
                Tenants.at(seven.baseUri(), Tenants.IT_ADMIN_TOKEN)
                        .as(storefront.key())
                        .get("/orders/" + old)
                        .then()
                        .statusCode(200);
            }
            String wider = create(seven);
            assertThat(wider).matches("[0-9]{8}").isNotIn(sixDigitNumbers);

            // One new number in ten starts with 0. Without it (a spreadsheet, an integer column) it has the
            // length of a 6-digit number, and must be refused as mistyped, not looked up as one.
            String withLeadingZero = wider;
            for (int attempt = 0; attempt < 200 && withLeadingZero.charAt(0) != '0'; attempt++) {
                withLeadingZero = create(seven, storefront);
            }
            assertThat(withLeadingZero).startsWith("0");
            Tenants.at(seven.baseUri(), Tenants.IT_ADMIN_TOKEN)
                    .as(storefront.key())
                    .get("/orders/" + withLeadingZero)
                    .then()
                    .statusCode(200);
            Tenants.at(seven.baseUri(), Tenants.IT_ADMIN_TOKEN)
                    .as(storefront.key())
                    .get("/orders/" + withLeadingZero.substring(1))
                    .then()
                    .statusCode(400)
                    .body("type", endsWith("/malformed-order-number"))
                    .body("detail", containsString("check digit"));
        }
        assertThat(count(
                        url,
                        "SELECT max_value FROM pg_sequences WHERE sequencename = 'order_number_seq'"
                                + " AND schemaname = current_schema()"))
                .isEqualTo(9_999_999L);
        assertThat(count(
                        url,
                        "SELECT max_value FROM pg_sequences WHERE sequencename = 'test_order_number_seq'"
                                + " AND schemaname = current_schema()"))
                .isEqualTo(9_999_999L);
    }

    @Test
    void refusesToNarrowBelowWhatWasIssued() throws Exception {
        String url = Database.freshSchema("narrowing");
        try (ServiceProcess seven = ServiceProcess.start(url, env(7, KEY)).awaitReady()) {
            execute(url, "SELECT setval('order_number_seq', 1500000)");
            create(seven);
        }
        try (ServiceProcess six = ServiceProcess.start(url, env(6, KEY))) {
            assertThat(six.awaitExit()).isNotZero();
            assertThat(six.output())
                    .contains("orders.order-number.digits=6 is too narrow")
                    .contains("ORDERS_ORDER_NUMBER_DIGITS to at least 7");
        }
    }

    @Test
    void refusesAnotherKeyForAWidthInUseButAcceptsItForANewWidth() throws Exception {
        String url = Database.freshSchema("rekey");
        try (ServiceProcess first = ServiceProcess.start(url, env(8, KEY)).awaitReady()) {
            create(first);
        }
        try (ServiceProcess rekeyed = ServiceProcess.start(url, env(8, OTHER_KEY))) {
            assertThat(rekeyed.awaitExit()).isNotZero();
            assertThat(rekeyed.output())
                    .contains("numbers of 8 digits were issued under another orders.order-number.key")
                    .doesNotContain(KEY)
                    .doesNotContain(OTHER_KEY);
        }
        try (ServiceProcess widened =
                ServiceProcess.start(url, env(9, OTHER_KEY)).awaitReady()) {
            assertThat(create(widened)).matches("[0-9]{10}");
        }
        assertThat(count(url, "SELECT count(DISTINCT key_fingerprint) FROM order_number_width"))
                .isEqualTo(2);
    }

    @Test
    void refusesToToggleTheCheckDigitOnceNumbersExist() throws Exception {
        String url = Database.freshSchema("checkdigit");
        try (ServiceProcess first = ServiceProcess.start(url, env(8, KEY)).awaitReady()) {
            create(first);
        }
        Map<String, String> withoutCheckDigit = env(9, KEY);
        withoutCheckDigit.put("ORDERS_ORDER_NUMBER_CHECK_DIGIT", "false");
        try (ServiceProcess toggled = ServiceProcess.start(url, withoutCheckDigit)) {
            assertThat(toggled.awaitExit()).isNotZero();
            assertThat(toggled.output()).contains("ORDERS_ORDER_NUMBER_CHECK_DIGIT=true");
        }
    }

    @Test
    void theProdProfileRefusesToStartWithoutAKeyOrWithTheDevKey() throws Exception {
        String url = Database.freshSchema("nokey");
        Map<String, String> noKey = env(8, KEY);
        noKey.remove("ORDERS_ORDER_NUMBER_KEY");
        try (ServiceProcess missing = ServiceProcess.start(url, noKey)) {
            assertThat(missing.awaitExit()).isNotZero();
            assertThat(missing.output()).contains("set ORDERS_ORDER_NUMBER_KEY");
        }
        try (ServiceProcess devKey = ServiceProcess.start(url, env(8, "000102030405060708090a0b0c0d0e0f"))) {
            assertThat(devKey.awaitExit()).isNotZero();
            assertThat(devKey.output()).contains("The documented dev key is not allowed in production");
        }
    }

    private static Map<String, String> env(int digits, String key) {
        return ServiceProcess.settings(
                "ORDERS_ORDER_NUMBER_DIGITS",
                String.valueOf(digits),
                "ORDERS_ORDER_NUMBER_KEY",
                key,
                "ORDERS_ADMIN_TOKEN",
                Tenants.IT_ADMIN_TOKEN);
    }

    /** A storefront of a new dispensary on this service, as the operator would set it up. */
    private record Storefront(Tenants tenants, String dispensary, String key) {

        static Storefront on(ServiceProcess service) {
            Tenants tenants = Tenants.at(service.baseUri(), Tenants.IT_ADMIN_TOKEN);
            String dispensary = tenants.newDispensary();
            return new Storefront(tenants, dispensary, tenants.storefrontKey(dispensary));
        }

        RequestSpecification request() {
            return tenants.as(key).contentType(ContentType.JSON);
        }
    }

    private static String create(ServiceProcess service) {
        return create(service, Storefront.on(service));
    }

    private static String create(ServiceProcess service, Storefront storefront) {
        return storefront
                .request()
                .baseUri(service.baseUri())
                .body(OrderFixtures.pickup(storefront.dispensary()))
                .post("/orders")
                .then()
                .statusCode(201)
                .extract()
                .path("orderNumber");
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = Database.connect(url);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection connection = Database.connect(url);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
