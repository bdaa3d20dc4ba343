package io.dispensary.orders.numberspace;

import io.dispensary.orders.ordernumber.Namespace;
import java.time.Duration;
import java.time.Instant;

/**
 * How full one namespace's number space is at the configured width, and when, at the recent issue rate, it
 * will be spent. {@code eta} is null while nothing is being issued.
 */
public record NumberSpaceUsage(
        Namespace namespace,
        int digits,
        long capacity,
        long issued,
        double usedRatio,
        double issuePerSecond,
        Duration eta,
        Instant measuredAt,
        Level level) {

    /** ok; warning at 80% or under 30 days; critical at 95% or under 7 days (configurable). */
    public enum Level {
        OK,
        WARNING,
        CRITICAL
    }
}
