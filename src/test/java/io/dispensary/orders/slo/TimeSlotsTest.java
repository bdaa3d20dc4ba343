package io.dispensary.orders.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TimeSlotsTest {

    @Test
    void threadsStartingTheSameSlotsAtOnceLoseNoCount() throws Exception {
        // Every slot is started by two threads (the event loops of a 2-core machine) that spin until both reach
        // it, so both see it unstarted at once: a second reset of a started slot, or an add lost between the
        // two, shows in the sums. A blocking barrier would wake them too far apart to race.
        TimeSlots slots = new TimeSlots(32_768);
        int threads = 2;
        int indexes = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger arrived = new AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (long index = 0; index < indexes; index++) {
                        arrived.incrementAndGet();
                        while (arrived.get() < threads * (index + 1)) {
                            Thread.onSpinWait();
                        }
                        slots.add(index, true);
                        slots.add(index, false);
                        slots.add(index, true);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(slots.sum(0, indexes - 1)).containsExactly(2L * threads * indexes, 3L * threads * indexes);
    }

    @Test
    void aSlotForgetsItsLastLapWhenTheRingComesRound() {
        TimeSlots slots = new TimeSlots(60);
        slots.add(5, true);
        slots.add(5, false);
        slots.add(65, true);

        assertThat(slots.sum(6, 65)).containsExactly(1L, 1L);
        assertThat(slots.sum(5, 5)).containsExactly(0L, 0L);
        // A late request for the forgotten lap is dropped, not counted into the new one.
        slots.add(5, true);
        assertThat(slots.sum(6, 65)).containsExactly(1L, 1L);
    }

    @Test
    void aWindowLongerThanTheRingCountsEachSlotOnce() {
        TimeSlots slots = new TimeSlots(10);
        for (long index = 0; index < 30; index++) {
            slots.add(index, index % 2 == 0);
        }

        assertThat(slots.sum(0, 29)).containsExactly(5L, 10L);
    }
}
