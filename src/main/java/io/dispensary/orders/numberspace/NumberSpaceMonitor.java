package io.dispensary.orders.numberspace;

import io.dispensary.orders.common.OrdersConfig;
import io.dispensary.orders.common.database.DatabaseFault;
import io.dispensary.orders.ordernumber.Namespace;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Measures the order-number space: capacity, issued (from the sequence position, not the row count: failed
 * inserts and cached values burn numbers no row shows), used ratio and an exhaustion ETA from the issue rate
 * over the rate window (a day by default). Reads both sequences every refresh interval, one cheap query each,
 * and serves gauges and the health check from that snapshot, so scrapes and probes never touch the database.
 * The rate comes from samples stored in the database ({@link IssueSampleStore}), not from this instance's memory:
 * a pod that has just started still forecasts from the whole day, and all pods forecast alike.
 */
@ApplicationScoped
public class NumberSpaceMonitor {

    private static final Logger LOG = Logger.getLogger(NumberSpaceMonitor.class);
    /** Samples per rate window: one every 5 minutes of a day, precise enough for a forecast in days. */
    private static final int SAMPLES_PER_WINDOW = 288;

    private final NumberSpace numberSpace;
    private final OrdersConfig.Capacity settings;
    private final Clock clock;
    private final IssueSampleStore samples;
    /** The last snapshot per namespace: what gauges and the health check read, without waiting for a refresh. */
    private final Map<Namespace, NumberSpaceUsage> latest = new ConcurrentHashMap<>();

    public NumberSpaceMonitor(
            DataSource dataSource, NumberSpace numberSpace, OrdersConfig config, Clock clock, MeterRegistry registry) {
        this.numberSpace = numberSpace;
        this.settings = config.capacity();
        this.clock = clock;
        this.samples = new IssueSampleStore(
                dataSource, settings.rateWindow(), settings.rateWindow().dividedBy(SAMPLES_PER_WINDOW));
        for (Namespace namespace : Namespace.values()) {
            Tags tags = Tags.of(
                    "namespace",
                    namespace.label(),
                    "digits",
                    String.valueOf(numberSpace.codec().digits()));
            Gauge.builder("orders.number.space.capacity", this, m -> m.value(namespace, u -> u.capacity()))
                    .description("Order numbers a namespace holds at the configured width (digits)")
                    .tags(tags)
                    .register(registry);
            Gauge.builder("orders.number.space.issued", this, m -> m.value(namespace, u -> u.issued()))
                    .description(
                            "Order numbers of a namespace issued or burnt (sequence gaps), from the sequence position")
                    .tags(tags)
                    .register(registry);
            Gauge.builder("orders.number.space.used.ratio", this, m -> m.value(namespace, u -> u.usedRatio()))
                    .description("Share of a namespace's order numbers issued or burnt: issued / capacity")
                    .tags(tags)
                    .register(registry);
            Gauge.builder(
                            "orders.number.space.exhaustion.eta",
                            this,
                            m -> m.value(
                                    namespace,
                                    u -> u.eta() == null
                                            ? Double.POSITIVE_INFINITY
                                            : u.eta().toSeconds()))
                    .description("Seconds until a namespace's order numbers are spent at the issue rate of the last"
                            + " orders.capacity.rate-window (+Inf when idle)")
                    .baseUnit("seconds")
                    .tags(tags)
                    .register(registry);
        }
    }

    void onStart(@Observes StartupEvent event, Scheduler scheduler) {
        refresh();
        scheduler
                .newJob("number-space-monitor")
                .setInterval(settings.refreshInterval().toSeconds() + "s")
                .setConcurrentExecution(io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> refresh())
                .schedule();
    }

    /** Reads the sequences and updates the snapshot; a failure keeps the last one and is logged. */
    public void refresh() {
        try {
            Instant now = clock.instant();
            for (Namespace namespace : Namespace.values()) {
                update(namespace, samples.observe(namespace, now), now);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Could not read the order-number sequences: %s", DatabaseFault.message(e));
        }
    }

    /** Records one observation and recomputes the usage; public for tests that drive time themselves. */
    public NumberSpaceUsage update(Namespace namespace, long issued, Instant at) {
        return update(namespace, samples.observe(namespace, issued, at), at);
    }

    private NumberSpaceUsage update(Namespace namespace, IssueSampleStore.Observation observation, Instant at) {
        long issued = observation.issued();
        Optional<IssueSampleStore.Sample> oldest = observation.oldest();
        double seconds = oldest.map(sample -> Duration.between(sample.at(), at).toMillis() / 1000.0)
                .orElse(0.0);
        double rate = seconds > 0 ? Math.max(0, (issued - oldest.get().issued()) / seconds) : 0;
        long capacity = numberSpace.codec().capacity();
        double used = Math.min(1.0, (double) issued / capacity);
        Duration eta = rate > 0
                ? Duration.ofSeconds((long) Math.ceil((capacity - Math.min(issued, capacity)) / rate))
                : (issued >= capacity ? Duration.ZERO : null);
        NumberSpaceUsage usage = new NumberSpaceUsage(
                namespace, numberSpace.codec().digits(), capacity, issued, used, rate, eta, at, level(used, eta));
        latest.put(namespace, usage);
        return usage;
    }

    public NumberSpaceUsage usage(Namespace namespace) {
        return latest.get(namespace);
    }

    private NumberSpaceUsage.Level level(double used, Duration eta) {
        if (used >= settings.criticalUsedRatio() || eta != null && eta.compareTo(settings.criticalEta()) < 0) {
            return NumberSpaceUsage.Level.CRITICAL;
        }
        if (used >= settings.warningUsedRatio() || eta != null && eta.compareTo(settings.warningEta()) < 0) {
            return NumberSpaceUsage.Level.WARNING;
        }
        return NumberSpaceUsage.Level.OK;
    }

    private double value(Namespace namespace, java.util.function.ToDoubleFunction<NumberSpaceUsage> f) {
        NumberSpaceUsage usage = latest.get(namespace);
        return usage == null ? Double.NaN : f.applyAsDouble(usage);
    }
}
