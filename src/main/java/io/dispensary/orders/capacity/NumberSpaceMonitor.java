package io.dispensary.orders.capacity;

import io.dispensary.orders.common.OrdersConfig;
import io.dispensary.orders.numberspace.NumberSpace;
import io.dispensary.orders.numberspace.SequencePosition;
import io.dispensary.orders.ordernumber.Namespace;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Measures the order-number space: capacity, issued (from the sequence position, not the row count: failed
 * inserts and cached values burn numbers no row shows), used ratio and an exhaustion ETA from the recent issue
 * rate. Reads both sequences every refresh interval, one cheap query each, and serves gauges and the health
 * check from that snapshot, so scrapes and probes never touch the database.
 */
@ApplicationScoped
public class NumberSpaceMonitor {

    private static final Logger LOG = Logger.getLogger(NumberSpaceMonitor.class);

    private final DataSource dataSource;
    private final NumberSpace numberSpace;
    private final OrdersConfig.Capacity settings;
    private final Clock clock;
    private final Map<Namespace, IssueHistory> history = new EnumMap<>(Namespace.class);
    private final Map<Namespace, NumberSpaceUsage> latest = new EnumMap<>(Namespace.class);

    public NumberSpaceMonitor(DataSource dataSource, NumberSpace numberSpace, OrdersConfig config, Clock clock,
            MeterRegistry registry) {
        this.dataSource = dataSource;
        this.numberSpace = numberSpace;
        this.settings = config.capacity();
        this.clock = clock;
        int samples = (int) Math.max(2, settings.rateWindow().toSeconds() / settings.refreshInterval().toSeconds() + 1);
        for (Namespace namespace : Namespace.values()) {
            history.put(namespace, new IssueHistory(samples));
            Tags tags = Tags.of("namespace", namespace.label(), "digits",
                    String.valueOf(numberSpace.codec().digits()));
            Gauge.builder("orders.number.space.capacity", this, m -> m.value(namespace, u -> u.capacity()))
                    .description("Order numbers the configured width holds").tags(tags).register(registry);
            Gauge.builder("orders.number.space.issued", this, m -> m.value(namespace, u -> u.issued()))
                    .description("Order numbers issued or burnt, from the sequence position").tags(tags)
                    .register(registry);
            Gauge.builder("orders.number.space.used.ratio", this, m -> m.value(namespace, u -> u.usedRatio()))
                    .description("Share of the order-number space used").tags(tags).register(registry);
            Gauge.builder("orders.number.space.exhaustion.eta", this, m -> m.value(namespace,
                            u -> u.eta() == null ? Double.POSITIVE_INFINITY : u.eta().toSeconds()))
                    .description("Seconds until the space is spent at the recent issue rate (+Inf when idle)")
                    .baseUnit("seconds").tags(tags).register(registry);
        }
    }

    void onStart(@Observes StartupEvent event, Scheduler scheduler) {
        refresh();
        scheduler.newJob("number-space-monitor")
                .setInterval(settings.refreshInterval().toSeconds() + "s")
                .setConcurrentExecution(io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> refresh())
                .schedule();
    }

    /** Reads the sequences and updates the snapshot; a failure keeps the last one and is logged. */
    public void refresh() {
        try (Connection connection = dataSource.getConnection()) {
            Instant now = clock.instant();
            for (Namespace namespace : Namespace.values()) {
                long issued = SequencePosition.read(connection, namespace).issued();
                update(namespace, issued, now);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Could not read the order-number sequences: %s", e.getMessage());
        }
    }

    /** Adds one observation and recomputes the usage; public for tests that drive time themselves. */
    public synchronized NumberSpaceUsage update(Namespace namespace, long issued, Instant at) {
        IssueHistory samples = history.get(namespace);
        samples.add(at, issued);
        long capacity = numberSpace.codec().capacity();
        double used = Math.min(1.0, (double) issued / capacity);
        double rate = samples.ratePerSecond(at, settings.rateWindow());
        Duration eta = rate > 0 ? Duration.ofSeconds((long) Math.ceil((capacity - Math.min(issued, capacity)) / rate))
                : (issued >= capacity ? Duration.ZERO : null);
        NumberSpaceUsage usage = new NumberSpaceUsage(namespace, numberSpace.codec().digits(), capacity, issued, used,
                rate, eta, at, level(used, eta));
        latest.put(namespace, usage);
        return usage;
    }

    public synchronized NumberSpaceUsage usage(Namespace namespace) {
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

    private synchronized double value(Namespace namespace, java.util.function.ToDoubleFunction<NumberSpaceUsage> f) {
        NumberSpaceUsage usage = latest.get(namespace);
        return usage == null ? Double.NaN : f.applyAsDouble(usage);
    }

    /** A ring of (time, issued) samples covering the rate window: fixed memory whatever the uptime. */
    static final class IssueHistory {
        private final long[] seconds;
        private final long[] issued;
        private int next;
        private int size;

        IssueHistory(int capacity) {
            seconds = new long[capacity];
            issued = new long[capacity];
        }

        void add(Instant at, long value) {
            if (size > 0 && at.getEpochSecond() < seconds[Math.floorMod(next - 1, seconds.length)]) {
                // The clock went back: a rate across the jump would be meaningless, so start over.
                size = 0;
                next = 0;
            }
            seconds[next] = at.getEpochSecond();
            issued[next] = value;
            next = (next + 1) % seconds.length;
            size = Math.min(size + 1, seconds.length);
        }

        /** Issues per second between the oldest sample inside the window and the newest. */
        double ratePerSecond(Instant now, Duration window) {
            if (size < 2) {
                return 0;
            }
            int newest = Math.floorMod(next - 1, seconds.length);
            int oldest = newest;
            for (int i = 1; i < size; i++) {
                int index = Math.floorMod(newest - i, seconds.length);
                if (now.getEpochSecond() - seconds[index] > window.toSeconds()) {
                    break;
                }
                oldest = index;
            }
            long elapsed = seconds[newest] - seconds[oldest];
            if (elapsed <= 0) {
                return 0;
            }
            return Math.max(0, (double) (issued[newest] - issued[oldest]) / elapsed);
        }
    }
}
