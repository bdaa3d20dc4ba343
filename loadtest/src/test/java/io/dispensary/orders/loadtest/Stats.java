package io.dispensary.orders.loadtest;

import java.util.Arrays;
import java.util.List;

/** Percentiles (nearest rank) of latencies in nanoseconds, and medians of repeated runs. */
final class Stats {

    private Stats() {
    }

    /** The p-th percentile (0 < p <= 100) by nearest rank, in milliseconds. */
    static double percentileMs(long[] nanos, int count, double p) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(0, Math.min(count, rank) - 1)] / 1e6;
    }

    static double meanMs(long[] nanos, int count) {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += nanos[i];
        }
        return count == 0 ? Double.NaN : sum / count / 1e6;
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
