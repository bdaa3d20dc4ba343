package io.dispensary.orders.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SloTrackerTest {

    private static final Instant START = Instant.parse("2026-11-02T00:00:00Z");
    private static final Duration THRESHOLD = Duration.ofMillis(300);
    private static final Duration FAST = Duration.ofMillis(20);
    private static final Duration SLOW = Duration.ofMillis(301);
    private static final double OBJECTIVE = 0.99;
    private static final long MIN_REQUESTS = 100;
    /** The cold first request of a fresh pod, as measured after a rollout. */
    private static final Duration COLD = Duration.ofMillis(712);

    private MutableClock clock;
    private SloTracker tracker;

    @BeforeEach
    void freshTracker() {
        // Late in a minute: windows count whole minutes, so "the last 5 minutes" is this one and the 4 before.
        clock = new MutableClock(START.plus(Duration.ofDays(30)).plusSeconds(59));
        tracker = new SloTracker("create-order", OBJECTIVE, THRESHOLD, Duration.ofDays(28), MIN_REQUESTS, clock);
    }

    @Test
    void scalesTheBurnRateFactorsToATwentyEightDayPeriod() {
        SloStatus.Factors factors = tracker.status().factors();
        assertThat(factors.pageFast()).isCloseTo(13.44, within(1e-9));
        assertThat(factors.pageSlow()).isCloseTo(5.6, within(1e-9));
        assertThat(factors.ticketFast()).isCloseTo(2.8, within(1e-9));
        assertThat(factors.ticketSlow()).isCloseTo(0.9333, within(1e-4));
    }

    @Test
    void aRequestAtTheThresholdIsGoodAndOneOverItOrAServerErrorIsBad() {
        assertThat(tracker.isGood(THRESHOLD, 201)).isTrue();
        assertThat(tracker.isGood(THRESHOLD.plusNanos(1), 201)).isFalse();
        assertThat(tracker.isGood(FAST, 503)).isFalse();
        assertThat(tracker.isGood(FAST, 422)).isTrue();
    }

    @Test
    void burnRateIsTheBadRatioOverTheBudget() {
        // 1% bad against a 1% budget: burning exactly at the sustainable rate.
        spread(Duration.ofMinutes(5), 1000, 10);
        assertThat(tracker.burnRate(Duration.ofMinutes(5), clock.instant())).isCloseTo(1.0, within(1e-9));
        assertThat(tracker.burnRate(Duration.ofHours(1), clock.instant())).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void windowsForgetTrafficOlderThanThemselves() {
        spread(Duration.ofMinutes(5), 100, 100);
        clock.advance(Duration.ofHours(2));
        spread(Duration.ofMinutes(5), 100, 0);

        assertThat(tracker.burnRate(Duration.ofHours(1), clock.instant())).isZero();
        assertThat(tracker.burnRate(Duration.ofHours(6), clock.instant())).isCloseTo(50.0, within(1e-9));
    }

    @Test
    void pagesFastOnlyWhenTheHourIsOverThirteenPointFourFour() {
        // The last 5 minutes burn at 26.2x; good traffic keeps 30m (2.62x) and 6h (4.84x) under the slow page,
        // and a bad burst 30-60 minutes ago brings the hour to exactly 13.44x: not over, so no page.
        hourAt(12_500);
        assertThat(tracker.burnRate(Duration.ofHours(1), clock.instant())).isCloseTo(13.44, within(1e-9));
        assertThat(tracker.burnRate(Duration.ofMinutes(30), clock.instant())).isLessThan(5.6);
        assertThat(tracker.burnRate(Duration.ofHours(6), clock.instant())).isLessThan(5.6);
        assertThat(tracker.status().state()).isEqualTo("ticket");

        freshTracker();
        hourAt(12_501);
        assertThat(tracker.status().state()).isEqualTo("page");
    }

    /** Traffic whose hour burns at 13.44x with {@code burst} = 12,500 bad requests 30-60 minutes ago. */
    private void hourAt(int burst) {
        Instant now = clock.instant();
        Instant minute = now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        segment(minute.minus(Duration.ofMinutes(4)), now, 10_000, 2_620);
        segment(minute.minus(Duration.ofMinutes(29)), minute.minus(Duration.ofMinutes(4)), 90_000, 0);
        segment(minute.minus(Duration.ofMinutes(59)), minute.minus(Duration.ofMinutes(29)), burst, burst);
        segment(minute.minus(Duration.ofMinutes(359)), minute.minus(Duration.ofMinutes(59)), 200_000, 0);
    }

    @Test
    void aFreshInstanceWithTwoRequestsOneOfThemColdSaysOkAndWhy() {
        tracker.record(clock.instant(), COLD, false);
        tracker.record(clock.instant(), FAST, true);

        SloStatus status = tracker.status();
        // 50% bad is a 50x burn in every window, but two requests are no evidence.
        assertThat(tracker.burnRate(Duration.ofHours(1), clock.instant())).isCloseTo(50.0, within(1e-9));
        assertThat(status.state()).isEqualTo("ok");
        assertThat(status.stateReason()).isEqualTo("2 requests in the 1h window, fewer than the 100 needed to page");
        assertThat(status.minRequests()).isEqualTo(MIN_REQUESTS);
        assertThat(status.errorBudgetLeft())
                .as("budget not judged on 2 requests")
                .isEqualTo(1.0);
        assertThat(status.totalInPeriod()).isEqualTo(2);
        assertThat(status.goodInPeriod()).isEqualTo(1);
    }

    @Test
    void pagesAtTheMinimumOfRequestsAndNotJustBelowItWithTheSameBadRatio() {
        spread(Duration.ofMinutes(5), 100, 50);
        SloStatus status = tracker.status();
        assertThat(status.state()).isEqualTo("page");
        assertThat(status.stateReason())
                .isEqualTo("1h and 5m both burn over 13.44x, with 100 requests in the 1h window");
        assertThat(status.errorBudgetLeft()).isCloseTo(1 - 0.5 / 0.01, within(1e-9));

        freshTracker();
        spread(Duration.ofMinutes(5), 98, 49);
        status = tracker.status();
        assertThat(tracker.burnRate(Duration.ofHours(1), clock.instant())).isCloseTo(50.0, within(1e-9));
        assertThat(status.state()).isEqualTo("ok");
        assertThat(status.stateReason()).isEqualTo("98 requests in the 1h window, fewer than the 100 needed to page");
        assertThat(status.errorBudgetLeft()).isEqualTo(1.0);
    }

    @Test
    void ticketsOnADayOfEvidenceWhileTheHourIsTooThinToPage() {
        // 120 requests over the day, half bad: every window burns 50x, but the hour holds only 5 of them.
        spread(Duration.ofDays(1), 120, 60);
        SloStatus status = tracker.status();
        assertThat(status.state()).isEqualTo("ticket");
        assertThat(status.stateReason())
                .startsWith("1d and 2h both burn over 2.8x, with 120 requests in the 1d window; ")
                .endsWith("window, fewer than the 100 needed to page");

        freshTracker();
        spread(Duration.ofDays(1), 98, 49);
        assertThat(tracker.status().state()).isEqualTo("ok");
        assertThat(tracker.status().stateReason()).endsWith("fewer than the 100 needed to page");
    }

    @Test
    void anIdleOrHealthySloSaysSo() {
        assertThat(tracker.status().stateReason()).isEqualTo("no requests in the last 3d");
        spread(Duration.ofHours(1), 1000, 0);
        assertThat(tracker.status().state()).isEqualTo("ok");
        assertThat(tracker.status().stateReason())
                .isEqualTo("no pair of windows burns over its factor (1000 requests in the 3d window)");
    }

    @Test
    void aBurstThatStoppedOverFiveMinutesAgoDoesNotPageFast() {
        spread(Duration.ofMinutes(30), 10_000, 2_000);
        clock.advance(Duration.ofMinutes(6));
        // 20x over the hour, but nothing bad in the last 5 minutes: the fast rule is off; 30m and 6h still burn.
        assertThat(tracker.burnRate(Duration.ofMinutes(5), clock.instant())).isZero();
        assertThat(tracker.status().state()).isEqualTo("page");

        clock.advance(Duration.ofMinutes(30));
        assertThat(tracker.status().state())
                .as("30m window clear: slow page off, ticket remains")
                .isEqualTo("ticket");
    }

    @Test
    void pagesSlowlyAboveFivePointSixInSixHoursAndThirtyMinutes() {
        // 5.6% bad over the last 6 hours and nothing in the last 5 minutes.
        spread(Duration.ofHours(6), 36_000, 2_016);
        assertThat(tracker.burnRate(Duration.ofHours(6), clock.instant())).isCloseTo(5.6, within(1e-9));
        assertThat(tracker.status().state()).isEqualTo("ticket");

        freshTracker();
        spread(Duration.ofHours(6), 36_000, 2_052);
        assertThat(tracker.status().state()).isEqualTo("page");
    }

    @Test
    void ticketsWhenTheBudgetBurnsSteadilyOverThreeDays() {
        // Burn 0.9 over three days: under the 0.933 factor.
        spread(Duration.ofDays(3), 72_000, 648);
        assertThat(tracker.status().state()).isEqualTo("ok");

        freshTracker();
        // Burn 1.0 over three days and six hours: over 0.933, far under the fast factors.
        spread(Duration.ofDays(3), 72_000, 720);
        assertThat(tracker.status().state()).isEqualTo("ticket");
    }

    @Test
    void ticketsFastAboveTwoPointEightInADayAndTwoHours() {
        spread(Duration.ofDays(1), 24_000, 720);
        assertThat(tracker.burnRate(Duration.ofDays(1), clock.instant())).isCloseTo(3.0, within(1e-9));
        assertThat(tracker.status().state()).isEqualTo("ticket");
    }

    @Test
    void reportsTheErrorBudgetLeftInThePeriod() {
        spread(Duration.ofDays(10), 100_000, 500);
        assertThat(tracker.status().errorBudgetLeft()).isCloseTo(0.5, within(1e-9));
        assertThat(tracker.status().totalInPeriod()).isEqualTo(100_000);
    }

    @Test
    void staysBoundedAndCorrectOverSimulatedMonths() {
        clock.set(START);
        // One request a minute for 120 days: every ring wraps many times.
        for (int minute = 0; minute < 120 * 24 * 60; minute++) {
            tracker.record(clock.instant(), FAST, minute % 100 != 0);
            clock.advance(Duration.ofMinutes(1));
        }
        clock.advance(Duration.ofMinutes(-1));

        SloStatus status = tracker.status();
        assertThat(status.totalInPeriod()).isEqualTo(28 * 24 * 60);
        SloStatus.Window threeDays = status.burnRates().stream()
                .filter(w -> w.window().equals("3d"))
                .findFirst()
                .orElseThrow();
        assertThat(threeDays.total()).isEqualTo(3 * 24 * 60);
        assertThat(status.latencyTrend().daily()).hasSizeLessThanOrEqualTo(SloTracker.TREND_DAYS);
    }

    @Test
    void countsEveryRequestRecordedByManyThreadsAtOnceAcrossMinuteHourAndDayBoundaries() throws Exception {
        // Four threads (more than the event loops of a 2-core machine) record the same 4 minutes around
        // midnight, 40,000 requests each, 1 in 8 bad: every slot is started and counted into concurrently.
        Instant beforeMidnight = Instant.parse("2026-11-30T23:58:00Z");
        int threads = 4;
        int perThread = 40_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        Instant at = beforeMidnight.plusMillis(i * 6L); // 40,000 x 6 ms = 4 minutes
                        tracker.record(at, i % 8 == 0 ? SLOW : FAST, i % 8 != 0);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        clock.set(beforeMidnight.plus(Duration.ofMinutes(4)).minusMillis(1));

        long[] counts = tracker.counts(Duration.ofMinutes(5), clock.instant());
        assertThat(counts[1]).isEqualTo((long) threads * perThread);
        assertThat(counts[0]).isEqualTo((long) threads * perThread * 7 / 8);
        SloStatus status = tracker.status();
        assertThat(status.totalInPeriod()).isEqualTo((long) threads * perThread);
        assertThat(status.goodInPeriod()).isEqualTo((long) threads * perThread * 7 / 8);
        // Half before midnight, half after, in the two days' latency histograms.
        assertThat(status.latencyTrend().daily())
                .extracting(SloStatus.DailyP99::requests)
                .containsExactly((long) threads * perThread / 2, (long) threads * perThread / 2);
    }

    @Test
    void recordingDoesNotWaitForAThreadHoldingTheTracker() throws Exception {
        // A reader or a descheduled writer inside the tracker must not stall the event loop that records.
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (tracker) {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        holder.start();
        try {
            holding.await();
            CompletableFuture<Void> recorded = CompletableFuture.runAsync(() -> tracker.record(FAST, true));
            recorded.get(10, TimeUnit.SECONDS);
            assertThat(tracker.status().totalInPeriod()).isEqualTo(1);
        } finally {
            release.countDown();
            holder.join();
        }
    }

    @Test
    void projectsWhenASlowCreepCrossesTheThreshold() {
        // A month in which p99 rises 5 ms a day from 120 ms: it reaches 300 ms on day 36.
        Instant dayZero = Instant.parse("2026-10-01T00:00:00Z");
        java.util.Random random = new java.util.Random(7);
        for (int day = 0; day < 30; day++) {
            double p99 = 120 + 5.0 * day;
            for (int i = 0; i < 2_000; i++) {
                // Uniform on [0, p99 / 0.99]: its 99th percentile is p99.
                double millis = random.nextDouble() * p99 / 0.99;
                clock.set(dayZero.plus(Duration.ofDays(day)).plusSeconds(i * 40L));
                tracker.record(clock.instant(), Duration.ofNanos((long) (millis * 1_000_000)), true);
            }
        }
        clock.set(dayZero.plus(Duration.ofDays(30)).plusSeconds(60));

        SloStatus.Trend trend = tracker.status().latencyTrend();
        java.time.LocalDate trueCrossing = java.time.LocalDate.of(2026, 10, 1).plusDays(36);
        assertThat(trend.slopeMillisPerDay()).isCloseTo(5.0, within(0.3));
        assertThat(trend.projectedCrossing()).isBetween(trueCrossing.minusDays(1), trueCrossing.plusDays(1));
        assertThat(trend.daily()).hasSize(30);
    }

    @Test
    void aFlatOrFallingTrendProjectsNoCrossing() {
        Instant dayZero = Instant.parse("2026-10-01T00:00:00Z");
        for (int day = 0; day < 10; day++) {
            clock.set(dayZero.plus(Duration.ofDays(day)));
            tracker.record(clock.instant(), Duration.ofMillis(200 - day), true);
        }
        clock.set(dayZero.plus(Duration.ofDays(10)));
        assertThat(tracker.status().latencyTrend().projectedCrossing()).isNull();
    }

    /**
     * {@code total} requests spread evenly over the minutes the window covers (the current one and those
     * before it), {@code bad} of them bad and spread evenly among the rest.
     */
    private void spread(Duration window, int total, int bad) {
        Instant end = clock.instant();
        segment(
                end.truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                        .minus(window)
                        .plus(Duration.ofMinutes(1)),
                end,
                total,
                bad);
    }

    /** {@code total} requests evenly in [start, end), {@code bad} of them bad and evenly spread. */
    private void segment(Instant start, Instant end, int total, int bad) {
        long stepNanos = Duration.between(start, end).toNanos() / total;
        for (int i = 0; i < total; i++) {
            Instant at = start.plusNanos(stepNanos * i);
            boolean isBad = (long) (i + 1) * bad / total > (long) i * bad / total;
            tracker.record(at, isBad ? SLOW : FAST, !isBad);
        }
    }
}
