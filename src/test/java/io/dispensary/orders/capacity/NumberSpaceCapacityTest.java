package io.dispensary.orders.capacity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.dispensary.orders.ordernumber.Namespace;
import io.dispensary.orders.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class NumberSpaceCapacityTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    /** The test profile issues 8-digit numbers: 10^8 per namespace. */
    private static final long CAPACITY = 100_000_000L;

    @Inject
    NumberSpaceMonitor monitor;

    @AfterEach
    void backToTheRealSequences() {
        monitor.refresh();
    }

    @Test
    void measuresUseFromTheSequencePositionAndForecastsExhaustionFromTheRecentRate() {
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
    void warnsAtEightyPercentOrThirtyDaysAndIsCriticalAtNinetyFiveOrSevenDays() {
        Instant t = T0.plus(Duration.ofDays(100));
        assertThat(monitor.update(Namespace.TEST, 80_000_000L, t).level()).isEqualTo(NumberSpaceUsage.Level.WARNING);
        assertThat(monitor.update(Namespace.TEST, 95_000_000L, t.plusSeconds(1)).level())
                .isEqualTo(NumberSpaceUsage.Level.CRITICAL);

        // 10% used but filling in 20 days: a ticket's worth.
        Instant u = t.plus(Duration.ofDays(1));
        monitor.update(Namespace.TEST, 10_000_000L, u);
        long perDay = 90_000_000L / 20;
        assertThat(monitor.update(Namespace.TEST, 10_000_000L + perDay, u.plus(Duration.ofDays(1))).level())
                .isEqualTo(NumberSpaceUsage.Level.WARNING);
    }

    @Test
    void anIdleSpaceHasNoEta() {
        Instant t = T0.plus(Duration.ofDays(300));
        monitor.update(Namespace.TEST, 5, t);
        assertThat(monitor.update(Namespace.TEST, 5, t.plus(Duration.ofDays(2))).eta()).isNull();
    }

    @Test
    void exportsCapacityGaugesPerNamespaceAndWidth() {
        monitor.refresh();
        String scrape = given().get(Management.url("/q/metrics")).then().statusCode(200).extract().asString();
        assertThat(scrape)
                .contains("orders_number_space_capacity{digits=\"8\",namespace=\"production\"} 1.0E8")
                .contains("orders_number_space_issued{digits=\"8\",namespace=\"test\"}")
                .contains("orders_number_space_used_ratio{digits=\"8\",namespace=\"production\"}")
                .contains("orders_number_space_exhaustion_eta_seconds{digits=\"8\",namespace=\"production\"}");
    }

    @Test
    void theOrderNumbersCheckStaysUpAndReportsItsLevelOutsideTheProbes() {
        monitor.update(Namespace.PRODUCTION, 96_000_000L, T0.plus(Duration.ofDays(400)));
        given().get(Management.url("/q/health")).then().statusCode(200)
                .body("checks.find { it.name == 'order-numbers' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'order-numbers' }.data.level", equalTo("critical"))
                .body("checks.find { it.name == 'order-numbers' }.data.'production.usedRatio'", equalTo("0.960000"));
        given().get(Management.url("/q/health/ready")).then().statusCode(200)
                .body("checks.name", not(hasItem("order-numbers")));
    }

    @Test
    void livenessNeverTouchesTheDatabaseAndReadinessIsTheDatasource() {
        given().get(Management.url("/q/health/live")).then().statusCode(200)
                .body("checks.name", equalTo(java.util.List.of("alive")));
        given().get(Management.url("/q/health/ready")).then().statusCode(200)
                .body("checks.name", hasItem("Database connections health check"));
    }
}
