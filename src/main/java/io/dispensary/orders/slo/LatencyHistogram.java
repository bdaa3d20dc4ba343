package io.dispensary.orders.slo;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed set of log-spaced latency buckets (2% apart, 0.1 ms to 2 minutes), enough to read a day's p99 to
 * within about 1% in a few kilobytes, however many requests the day had. Recorded into without a lock, from
 * every event loop at once; a reader works on a copy of the buckets, so its total and quantile agree.
 */
final class LatencyHistogram {

    static final double MIN_MILLIS = 0.1;
    static final double MAX_MILLIS = 120_000;
    static final double GROWTH = 1.02;
    static final int BUCKETS = (int) Math.ceil(Math.log(MAX_MILLIS / MIN_MILLIS) / Math.log(GROWTH)) + 1;

    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);

    void record(double millis) {
        buckets.incrementAndGet(bucket(millis));
    }

    void clear() {
        for (int i = 0; i < BUCKETS; i++) {
            buckets.set(i, 0);
        }
    }

    /** The buckets as they are now, to read from. */
    Snapshot snapshot() {
        long[] counts = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = buckets.get(i);
            total += counts[i];
        }
        return new Snapshot(counts, total);
    }

    record Snapshot(long[] counts, long total) {

        /** The quantile in milliseconds, interpolated within its bucket; NaN when empty. */
        double quantile(double q) {
            return LatencyHistogram.quantile(counts, total, q);
        }
    }

    private static double quantile(long[] counts, long total, double q) {
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (counts[i] == 0) {
                continue;
            }
            if (seen + counts[i] >= rank) {
                double lower = i == 0 ? 0 : upperBound(i - 1);
                double upper = upperBound(i);
                double within = (rank - seen) / counts[i];
                return lower + (upper - lower) * within;
            }
            seen += counts[i];
        }
        return upperBound(BUCKETS - 1);
    }

    static int bucket(double millis) {
        if (millis <= MIN_MILLIS) {
            return 0;
        }
        int index = (int) Math.ceil(Math.log(millis / MIN_MILLIS) / Math.log(GROWTH));
        return Math.min(index, BUCKETS - 1);
    }

    static double upperBound(int bucket) {
        return MIN_MILLIS * Math.pow(GROWTH, bucket);
    }
}
