package io.dispensary.orders.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final List<Duration> STANDARD = List.of(
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5),
            Duration.ofHours(10),
            Duration.ofHours(10));

    @Test
    void aDeliveryGetsOneAttemptMoreThanTheScheduleHasWaitsThenItIsDead() {
        RetrySchedule schedule = new RetrySchedule(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), () -> 0);
        assertThat(schedule.attempts()).isEqualTo(3);
        assertThat(schedule.next(1)).contains(Duration.ofSeconds(1));
        assertThat(schedule.next(2)).contains(Duration.ofSeconds(2));
        assertThat(schedule.next(3)).isEmpty();
    }

    @Test
    void jitterOnlyLengthensAWaitAndByAtMostAQuarter() {
        Random random = new Random(42);
        RetrySchedule schedule = new RetrySchedule(STANDARD, random::nextDouble);
        for (int i = 0; i < 10_000; i++) {
            int failed = 1 + random.nextInt(STANDARD.size());
            Duration wait = schedule.next(failed).orElseThrow();
            Duration base = STANDARD.get(failed - 1);
            assertThat(wait).isBetween(base, base.plus(base.dividedBy(4)));
        }
    }

    @Test
    void theStandardScheduleKeepsTryingForMoreThanADay() {
        Random random = new Random(7);
        for (int run = 0; run < 1000; run++) {
            RetrySchedule schedule = new RetrySchedule(STANDARD, random::nextDouble);
            Duration total = Duration.ZERO;
            for (int failed = 1; failed < schedule.attempts(); failed++) {
                total = total.plus(schedule.next(failed).orElseThrow());
            }
            assertThat(total).isGreaterThan(Duration.ofHours(27).plusMinutes(35));
        }
    }

    @Test
    void anEmptyOrNonPositiveScheduleIsRefused() {
        assertThatThrownBy(() -> new RetrySchedule(List.of(), () -> 0)).hasMessageContaining("retry-schedule");
        assertThatThrownBy(() -> new RetrySchedule(List.of(Duration.ZERO), () -> 0))
                .hasMessageContaining("retry-schedule");
    }
}
