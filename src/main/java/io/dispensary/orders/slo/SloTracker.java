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
    private final long minRequests;
    private final Clock clock;

    private final TimeSlots minutes = new TimeSlots(MINUTES);
    private final TimeSlots hours;
    private final LatencyHistogram[] days = new LatencyHistogram[TREND_DAYS];
    /** The UTC day each histogram holds. */
    private final SlotRing dayRing = new SlotRing(TREND_DAYS);

    private final IntConsumer clearDay = slot -> days[slot].clear();

    /**
     * {@code minRequests}: the fewest requests the long window of a rule must hold before it may page or ticket
     * ({@code orders.slo-min-requests}); the period must hold as many before the error budget is judged.
     */
    public SloTracker(
            String name, double objective, Duration threshold, Duration period, long minRequests, Clock clock) {
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
        this.minRequests = minRequests;
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
        // Too few requests in the period say nothing about the budget (two requests, one slow: -49 left); it is
        // shown whole until there is evidence, and goodInPeriod/totalInPeriod still show what was counted.
        double budgetLeft =
                total < Math.max(1, minRequests) ? 1 : 1 - ((double) (total - good) / total) / (1 - objective);

        List<Rule> rules = List.of(
                new Rule("page", Duration.ofHours(1), Duration.ofMinutes(5), factor(0.02, Duration.ofHours(1))),
                new Rule("page", Duration.ofHours(6), Duration.ofMinutes(30), factor(0.05, Duration.ofHours(6))),
                new Rule("ticket", Duration.ofDays(1), Duration.ofHours(2), factor(0.10, Duration.ofDays(1))),
                new Rule("ticket", Duration.ofDays(3), Duration.ofHours(6), factor(0.10, Duration.ofDays(3))));
        Rule fired = null;
        Rule heldBack = null;
        for (Rule rule : rules) {
            if (!(exceeds(burn.get(rule.longWindow), rule.factor)
                    && exceeds(burn.get(rule.shortWindow), rule.factor))) {
                continue;
            }
            if (requestsIn(windows, rule.longWindow) >= minRequests) {
                fired = rule;
                break;
            }
            if (heldBack == null) {
                heldBack = rule;
            }
        }
        String state = fired == null ? "ok" : fired.severity;
        return new SloStatus(
                name,
                objective,
                threshold.toMillis(),
                label(period),
                good,
                total,
                budgetLeft,
                state,
                new SloStatus.Factors(
                        rules.get(0).factor, rules.get(1).factor, rules.get(2).factor, rules.get(3).factor),
                windows,
                trend(now),
                reason(fired, heldBack, windows),
                minRequests);
    }

    /** One multi-window rule: both windows over the factor, and the long one holding enough requests. */
    private record Rule(String severity, Duration longWindow, Duration shortWindow, double factor) {}

    private static long requestsIn(List<SloStatus.Window> windows, Duration window) {
        String label = label(window);
        return windows.stream()
                .filter(w -> w.window().equals(label))
                .mapToLong(SloStatus.Window::total)
                .findFirst()
                .orElse(0);
    }

    /** Why the state is what it is, in words: the rule that fired, or the one held back for lack of requests. */
    private String reason(Rule fired, Rule heldBack, List<SloStatus.Window> windows) {
        StringBuilder reason = new StringBuilder();
        if (fired != null) {
            reason.append(String.format(
                    java.util.Locale.ROOT,
                    "%s and %s both burn over %sx, with %d requests in the %s window",
                    label(fired.longWindow),
                    label(fired.shortWindow),
                    number(fired.factor),
                    requestsIn(windows, fired.longWindow),
                    label(fired.longWindow)));
        }
        // A rule held back matters when it is worse than what fired (or than ok).
        if (heldBack != null
                && (fired == null || "page".equals(heldBack.severity) && "ticket".equals(fired.severity))) {
            if (!reason.isEmpty()) {
                reason.append("; ");
            }
            reason.append(String.format(
                    java.util.Locale.ROOT,
                    "%d requests in the %s window, fewer than the %d needed to %s",
                    requestsIn(windows, heldBack.longWindow),
                    label(heldBack.longWindow),
                    minRequests,
                    heldBack.severity));
        }
        if (reason.isEmpty()) {
            long threeDays = requestsIn(windows, Duration.ofDays(3));
            return threeDays == 0
                    ? "no requests in the last 3d"
                    : "no pair of windows burns over its factor (" + threeDays + " requests in the 3d window)";
        }
        return reason.toString();
    }

    /** A factor as the rules write it: 13.44, 5.6, 2.8, 0.9333. */
    private static String number(double value) {
        return new java.math.BigDecimal(value)
                .round(new java.math.MathContext(4))
                .stripTrailingZeros()
                .toPlainString();
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
