package io.dispensary.orders.slo;

import io.dispensary.orders.common.OrdersConfig;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

/**
 * Gives the SLO latency histogram, and Quarkus's {@code http.server.requests}, the same buckets on every series:
 * a fixed ladder plus every SLO threshold exactly, so a latency SLI is a ratio of two series (le=threshold /
 * count) and all series of a meter name agree, which Prometheus scrapes need.
 */
public class SloHistogramBuckets {

    private static final List<Duration> LADDER = List.of(
            Duration.ofMillis(5),
            Duration.ofMillis(10),
            Duration.ofMillis(25),
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(300),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofMillis(2500),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10));

    @Produces
    @Singleton
    MeterFilter sloBuckets(OrdersConfig config) {
        // From configuration, not from CriticalEndpoints: filters must exist before any meter is registered.
        TreeSet<Long> nanos = new TreeSet<>();
        LADDER.forEach(d -> nanos.add(d.toNanos()));
        config.slo().values().forEach(slo -> nanos.add(slo.threshold().toNanos()));
        double[] boundaries = nanos.stream().mapToDouble(Long::doubleValue).toArray();
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().equals(CriticalEndpoints.LATENCY)
                        || id.getName().equals("http.server.requests")) {
                    // Timers take nanoseconds here.
                    return DistributionStatisticConfig.builder()
                            .serviceLevelObjectives(boundaries)
                            .build()
                            .merge(config);
                }
                return config;
            }
        };
    }
}
