package io.dispensary.orders.slo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * One critical endpoint's SLO, computed in-process from what it served: burn rates over the multi-window
 * alerting windows, the error budget left in the period, the page/ticket/ok state of the SRE Workbook rules,
 * and a latency trend that shows a slow creep weeks before it crosses the threshold.
 *
 * <p>Memory is fixed whatever the uptime or traffic: minute counters for three days, hour counters for the
 * period, and one latency histogram per day for the trend, all in ring buffers indexed by time.
 *
 * <p>Thread-safe without a lock on the request path: every finished request is recorded on the event loop that
 * served it (see {@link TimeSlots}); readers ({@link #status()}) take no lock either.
 */
public final class SloTracker {

    /** The alerting windows of the SRE Workbook's multi-window, multi-burn-rate rules. */
    public static final List<Duration> WINDOWS = List.of(
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(2),
            Duration.ofHours(6),
            Duration.ofDays(1),
            Duration.ofDays(3));

    static final int MINUTES = (int) Duration.ofDays(3).toMinutes();
    static final int TREND_DAYS = 42;
    private static final long SECONDS_PER_DAY = 86_400;

    private final String name;
    private final double objective;
    private final Duration threshold;
    private final Duration period;
    private final Clock clock;

    private final TimeSlots minutes = new TimeSlots(MINUTES);
    private final TimeSlots hours;
    private final LatencyHistogram[] days = new LatencyHistogram[TREND_DAYS];
    /** The UTC day each histogram holds. */
    private final SlotRing dayRing = new SlotRing(TREND_DAYS);

    private final IntConsumer clearDay = slot -> days[slot].clear();

    public SloTracker(String name, double objective, Duration threshold, Duration period, Clock clock) {
        if (!(objective > 0 && objective < 1)) {
            throw new IllegalArgumentException("SLO " + name + ": the objective must be between 0 and 1");
        }
        if (period.compareTo(Duration.ofDays(3)) < 0) {
            throw new IllegalArgumentException("SLO " + name + ": the period must be at least 3 days");
        }
        this.name = name;
        this.objective = objective;
        this.threshold = threshold;
        this.period = period;
        this.clock = clock;
        this.hours = new TimeSlots((int) period.toHours());
        for (int i = 0; i < TREND_DAYS; i++) {
            days[i] = new LatencyHistogram();
        }
    }

    public String name() {
        return name;
    }

    public Duration threshold() {
        return threshold;
    }

    /** Whether a request with this latency and status meets the SLO: fast enough, and not a server error. */
    public boolean isGood(Duration latency, int status) {
        return status < 500 && latency.compareTo(threshold) <= 0;
    }

    /** Counts one request served now, good or bad as {@link #isGood} judged it. */
    public void record(Duration latency, boolean good) {
        record(clock.instant(), latency, good);
    }

    /**
     * Takes no lock but when a slot starts its minute, hour or day, so the event loops recording at once do not
     * wait on one another, nor on a reader.
     */
    void record(Instant at, Duration latency, boolean good) {
        long minute = Math.floorDiv(at.getEpochSecond(), 60);
        minutes.add(minute, good);
        hours.add(Math.floorDiv(minute, 60), good);
        long day = Math.floorDiv(at.getEpochSecond(), SECONDS_PER_DAY);
        int d = dayRing.claim(day, clearDay);
        if (d < 0) {
            return; // older than the trend keeps
        }
        days[d].record(latency.toNanos() / 1_000_000.0);
    }

    /** Good and total requests in the window ending now (at minute resolution). */
    long[] counts(Duration window, Instant now) {
        long currentMinute = Math.floorDiv(now.getEpochSecond(), 60);
        return minutes.sum(currentMinute - window.toMinutes() + 1, currentMinute);
    }

    /** Bad ratio over the window divided by the error budget ratio (1 - objective); 0 without traffic. */
    double burnRate(Duration window, Instant now) {
        return burnRate(counts(window, now));
    }

    private double burnRate(long[] goodAndTotal) {
        if (goodAndTotal[1] == 0) {
            return 0;
        }
        double badRatio = (double) (goodAndTotal[1] - goodAndTotal[0]) / goodAndTotal[1];
        return badRatio / (1 - objective);
    }

    /** The burn-rate factor of a rule: its share of the budget, spread over the period, per long window. */
    double factor(double budgetShare, Duration longWindow) {
        return budgetShare * period.toMinutes() / longWindow.toMinutes();
    }

    /** Everything /q/slo shows for this SLO, now. */
    public SloStatus status() {
        Instant now = clock.instant();
        List<SloStatus.Window> windows = new ArrayList<>();
        java.util.Map<Duration, Double> burn = new java.util.HashMap<>();
        for (Duration window : WINDOWS) {
            long[] counts = counts(window, now);
            double rate = burnRate(counts);
            burn.put(window, rate);
            windows.add(new SloStatus.Window(label(window), counts[0], counts[1], rate));
        }
        long currentHour = Math.floorDiv(now.getEpochSecond(), 3600);
        long[] inPeriod = hours.sum(currentHour - hours.size() + 1, currentHour);
        long good = inPeriod[0];
        long total = inPeriod[1];
        double budgetLeft = total == 0 ? 1 : 1 - ((double) (total - good) / total) / (1 - objective);

        double fastPage = factor(0.02, Duration.ofHours(1));
        double slowPage = factor(0.05, Duration.ofHours(6));
        double fastTicket = factor(0.10, Duration.ofDays(1));
        double slowTicket = factor(0.10, Duration.ofDays(3));
        String state;
        if (over(burn, Duration.ofHours(1), Duration.ofMinutes(5), fastPage)
                || over(burn, Duration.ofHours(6), Duration.ofMinutes(30), slowPage)) {
            state = "page";
        } else if (over(burn, Duration.ofDays(1), Duration.ofHours(2), fastTicket)
                || over(burn, Duration.ofDays(3), Duration.ofHours(6), slowTicket)) {
            state = "ticket";
        } else {
            state = "ok";
        }
        return new SloStatus(
                name,
                objective,
                threshold.toMillis(),
                label(period),
                good,
                total,
                budgetLeft,
                state,
                new SloStatus.Factors(fastPage, slowPage, fastTicket, slowTicket),
                windows,
                trend(now));
    }

    private static boolean over(
            java.util.Map<Duration, Double> burn, Duration longWindow, Duration shortWindow, double factor) {
        return exceeds(burn.get(longWindow), factor) && exceeds(burn.get(shortWindow), factor);
    }

    /** Strictly over, with room for floating-point noise: 13.44% bad is exactly the factor, not over it. */
    static boolean exceeds(double burnRate, double factor) {
        return burnRate - factor > 1e-9 * factor;
    }

    /**
     * Daily p99 over the last weeks (UTC days), the least-squares slope over the complete days, and the date the
     * fitted line crosses the threshold, if it rises.
     */
    SloStatus.Trend trend(Instant now) {
        long today = Math.floorDiv(now.getEpochSecond(), SECONDS_PER_DAY);
        List<SloStatus.DailyP99> daily = new ArrayList<>();
        double sumX = 0;
        double sumY = 0;
        double sumXy = 0;
        double sumXx = 0;
        int n = 0;
        for (long day = today - TREND_DAYS + 1; day <= today; day++) {
            if (!dayRing.holds(day)) {
                continue;
            }
            LatencyHistogram.Snapshot histogram = days[dayRing.slotOf(day)].snapshot();
            if (histogram.total() == 0) {
                continue;
            }
            double p99 = histogram.quantile(0.99);
            daily.add(new SloStatus.DailyP99(LocalDate.ofEpochDay(day), p99, histogram.total(), day == today));
            if (day < today) {
                double x = day - today;
                sumX += x;
                sumY += p99;
                sumXy += x * p99;
                sumXx += x * x;
                n++;
            }
        }
        if (n < 3) {
            return new SloStatus.Trend(daily, null, null);
        }
        double denominator = n * sumXx - sumX * sumX;
        double slope = (n * sumXy - sumX * sumY) / denominator;
        double intercept = (sumY - slope * sumX) / n;
        LocalDate crossing = null;
        double thresholdMillis = threshold.toNanos() / 1_000_000.0;
        if (slope > 0) {
            // x is in days relative to today; the fitted p99 reaches the threshold at x = (threshold - b) / slope.
            double x = (thresholdMillis - intercept) / slope;
            crossing = LocalDate.ofEpochDay(today + (long) Math.floor(x));
            if (crossing.isBefore(LocalDate.ofEpochDay(today))) {
                crossing = LocalDate.ofEpochDay(today);
            }
        }
        return new SloStatus.Trend(daily, slope, crossing);
    }

    static String label(Duration window) {
        if (window.toDays() > 0 && window.equals(Duration.ofDays(window.toDays()))) {
            return window.toDays() + "d";
        }
        if (window.toHours() > 0 && window.equals(Duration.ofHours(window.toHours()))) {
            return window.toHours() + "h";
        }
        return window.toMinutes() + "m";
    }
}
