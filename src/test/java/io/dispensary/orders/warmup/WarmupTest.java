package io.dispensary.orders.warmup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.common.Rehearsal;
import io.dispensary.orders.testing.Database;
import io.dispensary.orders.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The warm-up before readiness: rehearsed creates and reads through the whole stack that leave nothing behind a
 * user, an admin or an SRE could see, and a credential that dies with the warm-up.
 */
@QuarkusTest
@TestProfile(WarmupTest.On.class)
class WarmupTest {

    private static final int START_UP_REHEARSALS = 40;

    /** The warm-up on, small: 40 rehearsals, 2 at a time. */
    public static class On implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "orders.warmup.enabled", "true",
                    "orders.warmup.rehearsals", String.valueOf(START_UP_REHEARSALS),
                    "orders.warmup.concurrency", "2");
        }
    }

    /** Every table a create writes or reads, and the tenants' tables a rehearsal stages its rows in. */
    private static final List<String> TABLES = List.of(
            "customer_order",
            "order_line",
            "order_transition",
            "order_event",
            "webhook_delivery",
            "idempotency_record",
            "dispensary",
            "api_key");

    @Inject
    Warmup warmup;

    @Inject
    Rehearsal rehearsal;

    @Test
    void readinessWaitsForTheWarmUpThenSaysEveryRehearsalPassed() {
        JsonPath check = awaitReady();
        assertThat(check.getString("status")).isEqualTo("UP");
        assertThat(check.getString("data.state")).isEqualTo("done");
        assertThat(check.getInt("data.rehearsed")).isEqualTo(START_UP_REHEARSALS);
        assertThat(check.getInt("data.failed")).isZero();
        assertThat(warmup.outcome().read()).isEqualTo(START_UP_REHEARSALS);
    }

    @Test
    void rehearsalsLeaveNoRowNoSequenceValueNoMeterAndNoLogLineBehind() throws Exception {
        awaitReady();
        Map<String, Long> rowsBefore = rows();
        String scrapeBefore = Management.scrape();

        Warmup.Outcome outcome = warmup.rehearse(apiPort(), 30, 3, Duration.ofSeconds(60));

        // Every create answered 201 and its read 404: the order existed only inside its rolled-back transaction.
        assertThat(outcome.failed())
                .as("first failure: %s", outcome.firstFailure())
                .isZero();
        assertThat(outcome.created()).isEqualTo(30);
        assertThat(outcome.read()).isEqualTo(30);
        assertThat(rows()).isEqualTo(rowsBefore);
        String scrapeAfter = Management.scrape();
        for (String meter : List.of(
                "http_server_requests_seconds_count{method=\"POST\",outcome=\"SUCCESS\",status=\"201\",uri=\"/orders\"}",
                "http_server_requests_seconds_count{method=\"GET\",outcome=\"CLIENT_ERROR\",status=\"404\",uri=\"/orders/{orderNumber}\"}",
                "orders_created_total",
                "orders_slo_requests_total",
                "orders_rejected_total")) {
            assertThat(sum(scrapeAfter, meter)).as(meter).isEqualTo(sum(scrapeBefore, meter));
        }
        assertThat(scrapeAfter).doesNotContain("rehearsal");
        String log = Files.readString(Path.of("target/quarkus-test.log"));
        // The log file holds every test class's lines; the rehearsals' ids are this process's own.
        assertThat(log).doesNotContain(rehearsal.dispensaryId(0)).doesNotContain(rehearsal.keyId(0));
    }

    @Test
    void aRehearsalTokenIsAnUnknownKeyOnceTheWarmUpIsOver() {
        awaitReady();
        assertThat(rehearsal.isOpen()).isFalse();
        given().header("Authorization", "Bearer " + rehearsal.token(0))
                .get("/orders/12345678")
                .then()
                .statusCode(401);
    }

    /** /q/health/ready until UP (30 s at most); the warm-up check's part of it. */
    private static JsonPath awaitReady() {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonPath health;
        do {
            health = given().get(Management.url("/q/health/ready"))
                    .then()
                    .extract()
                    .jsonPath();
            if ("UP".equals(health.getString("status"))) {
                break;
            }
            sleep();
        } while (System.nanoTime() < end);
        assertThat(health.getString("status")).as("readiness within 30 s").isEqualTo("UP");
        return new JsonPath(health.prettify()).setRootPath("checks.find { it.name == 'warm-up' }");
    }

    private static Map<String, Long> rows() throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection connection = Database.outsidePool();
                Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet row = statement.executeQuery("SELECT count(*) FROM " + table)) {
                    row.next();
                    counts.put(table, row.getLong(1));
                }
            }
            // The order-number sequences: a number drawn is never given back. The surrogate row ids (never shown)
            // advance on a rolled-back insert as on any other, rehearsal or refused order alike.
            try (ResultSet row = statement.executeQuery(
                    "SELECT sequencename, coalesce(last_value, -1) FROM pg_sequences"
                            + " WHERE sequencename IN ('order_number_seq', 'test_order_number_seq') ORDER BY sequencename")) {
                while (row.next()) {
                    counts.put("sequence " + row.getString(1), row.getLong(2));
                }
            }
        }
        assertThat(counts).containsKeys("sequence order_number_seq", "sequence test_order_number_seq");
        return counts;
    }

    /** The sum of every series of one meter (or the one series named with its tags) in a scrape; 0 if none. */
    private static double sum(String scrape, String meter) {
        String tags = meter.contains("{") ? "" : "(\\{[^}]*\\})?";
        Matcher series = Pattern.compile("(?m)^" + Pattern.quote(meter) + tags + " ([0-9.eE+-]+)$")
                .matcher(scrape);
        double total = 0;
        while (series.find()) {
            total += Double.parseDouble(series.group(series.groupCount()));
        }
        return total;
    }

    private static int apiPort() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
