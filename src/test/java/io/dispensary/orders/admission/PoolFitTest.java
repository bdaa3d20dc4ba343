package io.dispensary.orders.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PoolFitTest {

    private static final Duration FAST_FAIL = Duration.ofSeconds(1);

    @Test
    void saysNothingWhenThePoolFitsTwiceAndTheExcessIsShedFast() {
        assertThat(new PoolFit.Fit(16, 32, 7, 100, 3, 2, FAST_FAIL, 64).warnings())
                .isEmpty();
    }

    @Test
    void warnsWhenThePoolIsLargerThanPostgresAccepts() {
        assertThat(new PoolFit.Fit(120, 32, 7, 100, 3, 2, FAST_FAIL, 64).warnings())
                .singleElement()
                .asString()
                .contains("larger than PostgreSQL accepts");
    }

    @Test
    void warnsWhenASecondInstanceWouldNotFit() {
        assertThat(new PoolFit.Fit(60, 32, 7, 100, 3, 2, FAST_FAIL, 64).warnings())
                .singleElement()
                .asString()
                .contains("a second instance");
    }

    @Test
    void warnsWhenTheExcessWouldQueueIntoTimeoutsInsteadOfFailingFast() {
        assertThat(new PoolFit.Fit(16, 32, 7, 100, 3, 2, Duration.ofSeconds(5), 64).warnings())
                .singleElement()
                .asString()
                .contains("queue into client timeouts");
    }

    @Test
    void warnsWhenTheAdmissionLimitLeavesWorkersThatCanNeverBeUsed() {
        assertThat(new PoolFit.Fit(16, 32, 7, 100, 3, 2, FAST_FAIL, 20).warnings())
                .singleElement()
                .asString()
                .contains("12 workers can never be used");
    }

    @Test
    void warnsWhenDeliveryThreadsCouldTakeMoreThanHalfThePool() {
        assertThat(new PoolFit.Fit(16, 32, 9, 100, 3, 2, FAST_FAIL, 64).warnings())
                .singleElement()
                .asString()
                .contains("9 webhook delivery threads could hold more than half of the pool's 16 connections");
    }
}
