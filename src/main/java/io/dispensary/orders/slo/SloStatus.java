package io.dispensary.orders.slo;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.List;

/**
 * One critical endpoint's SLO as /q/slo shows it. {@code stateReason} says in words why {@code state} is what it
 * is; a rule pages or tickets only when its long window holds at least {@code minRequests} requests, and
 * {@code errorBudgetLeft} stays 1 until the period holds as many.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SloStatus(
        String name,
        double objective,
        long thresholdMillis,
        String period,
        long goodInPeriod,
        long totalInPeriod,
        double errorBudgetLeft,
        String state,
        Factors factors,
        List<Window> burnRates,
        Trend latencyTrend,
        String stateReason,
        long minRequests) {

    /** Burn rate over one window: bad ratio / (1 - objective). */
    public record Window(String window, long good, long total, double burnRate) {}

    /** The burn-rate factors of the page and ticket rules, scaled to the period. */
    public record Factors(double pageFast, double pageSlow, double ticketFast, double ticketSlow) {}

    /** The p99 of one UTC day; {@code partial} for today. */
    public record DailyP99(LocalDate day, double p99Millis, long requests, boolean partial) {}

    /** Daily p99s, their slope (ms per day) and the projected date of crossing the threshold, if rising. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Trend(List<DailyP99> daily, Double slopeMillisPerDay, LocalDate projectedCrossing) {}
}
