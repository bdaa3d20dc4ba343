package io.dispensary.orders.numberspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OrderNumbersHealthCheckTest {

    @Test
    void showsTheEtaInItsTwoLargestUnitsRoundedDown() {
        // The ETA /q/health showed as PT2583861H5M7S.
        assertThat(OrderNumbersHealthCheck.readable(Duration.parse("PT2583861H5M7S")))
                .isEqualTo("294 years 9 months");
        assertThat(OrderNumbersHealthCheck.readable(
                        Duration.ofDays(3).plusHours(4).plusMinutes(59)))
                .isEqualTo("3 days 4 hours");
        assertThat(OrderNumbersHealthCheck.readable(Duration.ofDays(365).plusHours(5)))
                .as("a year is the Gregorian average, 365.2425 days")
                .isEqualTo("11 months 30 days");
        assertThat(OrderNumbersHealthCheck.readable(Duration.ofDays(366))).isEqualTo("1 year");
        assertThat(OrderNumbersHealthCheck.readable(Duration.ofHours(1).plusSeconds(59)))
                .isEqualTo("1 hour");
        assertThat(OrderNumbersHealthCheck.readable(Duration.ofSeconds(45))).isEqualTo("45 seconds");
        assertThat(OrderNumbersHealthCheck.readable(Duration.ofMillis(800))).isEqualTo("0 seconds");
    }
}
