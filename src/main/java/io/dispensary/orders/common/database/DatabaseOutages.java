package io.dispensary.orders.common.database;

import io.dispensary.orders.common.LogEvery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Counts the requests answered 503 because the database was away or over budget, by cause, and says so in one WARN
 * line per interval, and likewise for requests shed because no pool connection came in time: an outage of PostgreSQL is an event for the SREs, not thousands of stack traces (at 0b06e29 a
 * 10 s stop wrote 23,304 log lines). The first answer of a quiet spell is logged at once, so the log shows when an
 * outage began; the rest are summed into the next line.
 */
@ApplicationScoped
public class DatabaseOutages {

    private static final Logger LOG = Logger.getLogger(DatabaseOutages.class);
    static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Map<DatabaseFault.Cause, Counter> counters = new EnumMap<>(DatabaseFault.Cause.class);
    private final Map<DatabaseFault.Cause, AtomicLong> sinceLog = new EnumMap<>(DatabaseFault.Cause.class);
    private final LogEvery logEvery;
    private final LogEvery poolShedLog;
    private final AtomicLong poolShedSinceLog = new AtomicLong();

    @Inject
    public DatabaseOutages(MeterRegistry registry) {
        this(registry, System::nanoTime);
    }

    /** With a clock of the test's, in nanoseconds like {@link System#nanoTime()}. */
    DatabaseOutages(MeterRegistry registry, LongSupplier nanoTime) {
        this.logEvery = new LogEvery(Duration.ofNanos(LOG_INTERVAL_NANOS), nanoTime);
        this.poolShedLog = new LogEvery(Duration.ofNanos(LOG_INTERVAL_NANOS), nanoTime);
        for (DatabaseFault.Cause cause : DatabaseFault.Cause.values()) {
            counters.put(
                    cause,
                    Counter.builder("orders.database.unavailable")
                            .description(
                                    "Requests answered 503 /problems/database-unavailable, by why the database could"
                                            + " not serve them")
                            .tag("cause", cause.tag())
                            .register(registry));
            sinceLog.put(cause, new AtomicLong());
        }
    }

    /** Counts one request answered 503 for this cause, and logs the summary when one is due. */
    public void record(DatabaseFault.Cause cause, Throwable failure) {
        counters.get(cause).increment();
        sinceLog.get(cause).incrementAndGet();
        long since = logEvery.due();
        if (since >= 0) {
            StringJoiner causes = new StringJoiner(", ");
            long total = 0;
            for (Map.Entry<DatabaseFault.Cause, AtomicLong> entry : sinceLog.entrySet()) {
                long count = entry.getValue().getAndSet(0);
                if (count > 0) {
                    causes.add(entry.getKey().tag() + " " + count);
                    total += count;
                }
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(since);
            LOG.warnf(
                    "Database unavailable: %d requests answered 503 in the last %d s (%s); the latest: %s (%s)."
                            + " Clients retry with their Idempotency-Key; orders_database_unavailable_total counts by cause.",
                    total, Math.max(seconds, 1), causes, cause.description(), DatabaseFault.message(failure));
        }
    }

    /**
     * Says, once per interval, how many requests were shed because no connection came within the acquisition
     * timeout: under a stalled database they come by the hundred (the requests holding the connections are cut by
     * the budget and counted by {@link #record}).
     */
    public void poolShed(String path) {
        poolShedSinceLog.incrementAndGet();
        long since = poolShedLog.due();
        if (since >= 0) {
            LOG.warnf(
                    "Shed %d requests in the last %d s: no database connection within the acquisition timeout"
                            + " (quarkus.datasource.jdbc.acquisition-timeout) or PgBouncer's wait timeout; the latest: %s",
                    poolShedSinceLog.getAndSet(0), Math.max(1, TimeUnit.NANOSECONDS.toSeconds(since)), path);
        }
    }
}
