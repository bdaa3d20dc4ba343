package io.dispensary.orders.numberspace;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.dispensary.orders.common.OrdersConfig;
import io.dispensary.orders.ordernumber.Namespace;
import io.dispensary.orders.testing.Database;
import io.dispensary.orders.testing.Management;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class NumberSpaceCapacityTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    /** The test profile issues 8-digit numbers: 10^8 per namespace. */
    private static final long CAPACITY = 100_000_000L;

    @Inject
    NumberSpaceMonitor monitor;

    @Inject
    DataSource dataSource;

    @Inject
    NumberSpace numberSpace;

    @Inject
    OrdersConfig config;

    @Inject
    Clock clock;

    /** The tests drive time themselves: each starts without the samples of another. */
    @BeforeEach
    void noStoredSamples() throws Exception {
        try (Connection connection = Database.outsidePool();
                Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM number_space_sample");
        }
    }

    @AfterEach
    void backToTheRealSequences() throws Exception {
        noStoredSamples();
        monitor.refresh();
    }

    @Test
    void measuresUseFromTheSequencePositionAndForecastsExhaustionFromTheRecentRate() throws Exception {
        // 3,600 numbers an hour = 1 a second, with 40% of the space used.
        long used = 40_000_000L;
        monitor.update(Namespace.TEST, used, T0);
        NumberSpaceUsage usage = monitor.update(Namespace.TEST, used + 3_600, T0.plus(Duration.ofHours(1)));

        assertThat(usage.capacity()).isEqualTo(CAPACITY);
        assertThat(usage.usedRatio()).isCloseTo(0.400036, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(usage.issuePerSecond()).isEqualTo(1.0);
        assertThat(usage.eta()).isEqualTo(Duration.ofSeconds(CAPACITY - used - 3_600));
        assertThat(usage.level()).isEqualTo(NumberSpaceUsage.Level.OK);
    }

    @Test
    void warnsAtEightyPercentOrThirtyDaysAndIsCriticalAtNinetyFiveOrSevenDays() throws Exception {
        Instant t = T0.plus(Duration.ofDays(100));
        assertThat(monitor.update(Namespace.TEST, 80_000_000L, t).level()).isEqualTo(NumberSpaceUsage.Level.WARNING);
        assertThat(monitor.update(Namespace.TEST, 95_000_000L, t.plusSeconds(1)).level())
                .isEqualTo(NumberSpaceUsage.Level.CRITICAL);

        // 10% used but filling in 20 days: a ticket's worth.
        Instant u = t.plus(Duration.ofDays(1));
        monitor.update(Namespace.TEST, 10_000_000L, u);
        long perDay = 90_000_000L / 20;
        assertThat(monitor.update(Namespace.TEST, 10_000_000L + perDay, u.plus(Duration.ofDays(1)))
                        .level())
                .isEqualTo(NumberSpaceUsage.Level.WARNING);
    }

    /**
     * A restarted pod (every pod, after a rollout) forecasts from the whole day, not from its first minutes: a
     * busy quarter of an hour after a deploy used to look like a space running out within days, and paged.
     */
    @Test
    void aRestartedInstanceForecastsFromTheWholeDayNotFromABurstAfterItStarted() throws Exception {
        long used = 60_000_000L;
        // The instance before the rollout saw a day at 1 number a second.
        monitor.update(Namespace.TEST, used, T0);
        monitor.update(Namespace.TEST, used + 72_000, T0.plus(Duration.ofHours(20)));

        NumberSpaceMonitor restarted =
                new NumberSpaceMonitor(dataSource, numberSpace, config, clock, new SimpleMeterRegistry());
        Instant started = T0.plus(Duration.ofHours(21));
        NumberSpaceUsage first = restarted.update(Namespace.TEST, used + 75_600, started);
        assertThat(first.issuePerSecond()).isEqualTo(1.0);
        // Then 100 numbers a second for 15 minutes: 40% used, the rest would last 4.6 days at that pace.
        NumberSpaceUsage afterBurst =
                restarted.update(Namespace.TEST, used + 75_600 + 90_000, started.plus(Duration.ofMinutes(15)));
        assertThat(afterBurst.issuePerSecond()).isBetween(2.0, 2.2);
        assertThat(afterBurst.eta()).isGreaterThan(Duration.ofDays(180));
        assertThat(afterBurst.level()).isEqualTo(NumberSpaceUsage.Level.OK);
    }

    @Test
    void keepsOneSampleEveryFiveMinutesAndNoneOlderThanTheWindow() throws Exception {
        Instant t = T0.plus(Duration.ofDays(100));
        for (int second = 0; second < 600; second += 15) {
            monitor.update(Namespace.TEST, 1_000 + second, t.plusSeconds(second));
        }
        assertThat(samples()).isEqualTo(2);
        // A day and more later, only the new sample is left: the window's start needs none older.
        monitor.update(Namespace.TEST, 5_000, t.plus(Duration.ofHours(25)));
        assertThat(samples()).isEqualTo(1);
    }

    @Test
    void anIdleSpaceHasNoEta() throws Exception {
        Instant t = T0.plus(Duration.ofDays(300));
        monitor.update(Namespace.TEST, 5, t);
        assertThat(monitor.update(Namespace.TEST, 5, t.plus(Duration.ofDays(2))).eta())
                .isNull();
    }

    @Test
    void exportsCapacityGaugesPerNamespaceAndWidth() {
        monitor.refresh();
        String scrape = given().get(Management.url("/q/metrics"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(scrape)
                .contains("orders_number_space_capacity{digits=\"8\",namespace=\"production\"} 1.0E8")
                .contains("orders_number_space_issued{digits=\"8\",namespace=\"test\"}")
                .contains("orders_number_space_used_ratio{digits=\"8\",namespace=\"production\"}")
                .contains("orders_number_space_exhaustion_eta_seconds{digits=\"8\",namespace=\"production\"}");
    }

    @Test
    void theOrderNumbersCheckStaysUpAndReportsItsLevelOutsideTheProbes() throws Exception {
        monitor.update(Namespace.PRODUCTION, 96_000_000L, T0.plus(Duration.ofDays(400)));
        given().get(Management.url("/q/health"))
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'order-numbers' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'order-numbers' }.data.level", equalTo("critical"))
                .body("checks.find { it.name == 'order-numbers' }.data.'production.usedRatio'", equalTo("0.960000"));
        given().get(Management.url("/q/health/ready"))
                .then()
                .statusCode(200)
                .body("checks.name", not(hasItem("order-numbers")));
    }

    @Test
    void theHealthCheckShowsTheEtaForPeopleBesideItsSecondsForMachines() throws Exception {
        // 1 number a second with 59,996,400 left (as in the first test): 694.4 days.
        monitor.update(Namespace.TEST, 40_000_000L, T0);
        monitor.update(Namespace.TEST, 40_003_600L, T0.plus(Duration.ofHours(1)));
        given().get(Management.url("/q/health"))
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'order-numbers' }.data.'test.eta'", equalTo("1 year 10 months"))
                .body("checks.find { it.name == 'order-numbers' }.data.'test.etaSeconds'", equalTo(59_996_400))
                .body("checks.find { it.name == 'order-numbers' }.data.'test.etaIso'", equalTo("PT16665H40M"));
    }

    @Test
    void livenessNeverTouchesTheDatabaseAndReadinessIsReachingThePrimary() {
        given().get(Management.url("/q/health/live"))
                .then()
                .statusCode(200)
                .body("checks.name", equalTo(java.util.List.of("alive")));
        // Its own connection, not the pool's (DatabaseFaultsTest: UP with the pool saturated, DOWN when PostgreSQL is).
        given().get(Management.url("/q/health/ready"))
                .then()
                .statusCode(200)
                .body("checks.name", hasItem("primary"))
                .body("checks.name", org.hamcrest.Matchers.not(hasItem("Database connections health check")));
    }

    private static long samples() throws Exception {
        return Database.count("SELECT count(*) FROM number_space_sample WHERE namespace = ?", "test");
    }
}
