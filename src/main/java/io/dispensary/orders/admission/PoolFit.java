package io.dispensary.orders.admission;

import io.dispensary.orders.common.database.ConnectionLimits;
import io.dispensary.orders.common.database.DatabaseBudget;
import io.dispensary.orders.common.database.DatabaseFault;
import io.dispensary.orders.webhook.Dispatcher;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Says at start-up how the concurrency that can reach the database fits the pool, and the pool PostgreSQL:
 * the pool-exhaustion incident (400 jobs, far fewer connections, 250 silently lost) came from nobody looking.
 * Workers may outnumber connections: the excess waits at most the acquisition timeout and is then shed with a
 * 503, never silently; requests beyond the admission limit are shed before they take a worker. What must not
 * happen is a pool larger than what PostgreSQL will accept.
 */
@ApplicationScoped
public class PoolFit {

    private static final Logger LOG = Logger.getLogger(PoolFit.class);

    private final DataSource dataSource;
    private final int poolMax;
    private final int workers;
    private final int deliveryWorkers;
    private final Duration acquisitionTimeout;
    private final int maxInFlight;
    private final Duration maxQueueWait;

    private final DatabaseBudget budget;

    public PoolFit(
            DataSource dataSource,
            Admission admission,
            DatabaseBudget budget,
            Dispatcher deliveries,
            @ConfigProperty(name = "quarkus.datasource.jdbc.max-size", defaultValue = "20") int poolMax,
            @ConfigProperty(name = "quarkus.datasource.jdbc.acquisition-timeout", defaultValue = "5S")
                    Duration acquisitionTimeout) {
        this.dataSource = dataSource;
        this.budget = budget;
        this.poolMax = poolMax;
        this.workers = admission.workers();
        this.deliveryWorkers = deliveries.workers();
        this.acquisitionTimeout = acquisitionTimeout;
        this.maxInFlight = admission.limit();
        this.maxQueueWait = admission.maxQueueWait();
    }

    /** The pool's size (quarkus.datasource.jdbc.max-size), as the start-up line reports it. */
    public int poolMax() {
        return poolMax;
    }

    void onStart(@Observes StartupEvent event) {
        Fit fit = check();
        if (fit == null) {
            return;
        }
        LOG.infof(
                "Database capacity: pool of %d connections (and 2 of its own: the readiness check's and the change listener's); %d worker threads,"
                        + " %d webhook delivery threads (each holds a connection only to claim or record, never while a"
                        + " receiver answers) and 1 scheduler job can reach it; PostgreSQL accepts %d connections (%d reserved for superusers, %d"
                        + " in use now, this instance's included). API requests beyond %d in flight are shed with 503 at once;"
                        + " those that find every worker busy and wait more than %d ms for one, or more than %d ms for a"
                        + " connection, are shed with 503 then. With a connection, a request has %d ms (orders.database.budget):"
                        + " statements are cut at %d ms, lock waits at %d ms, a silent server at %d ms, each a 503.",
                poolMax,
                workers,
                deliveryWorkers,
                fit.maxConnections,
                fit.reserved,
                fit.inUse,
                fit.maxInFlight,
                maxQueueWait.toMillis(),
                acquisitionTimeout.toMillis(),
                budget.budget().toMillis(),
                budget.statementTimeout().toMillis(),
                budget.lockTimeout().toMillis(),
                budget.budget().toMillis());
        for (String warning : fit.warnings()) {
            LOG.warn(warning);
        }
    }

    /** The figures and what does not fit, or null when PostgreSQL cannot be asked. */
    Fit check() {
        ConnectionLimits limits;
        try {
            limits = ConnectionLimits.read(dataSource);
        } catch (RuntimeException e) {
            LOG.warnf("Could not read PostgreSQL's max_connections: %s", DatabaseFault.message(e));
            return null;
        }
        return new Fit(
                poolMax,
                workers,
                deliveryWorkers,
                limits.maxConnections(),
                limits.reserved(),
                limits.inUse(),
                acquisitionTimeout,
                maxInFlight);
    }

    /** The figures that must fit together. */
    record Fit(
            int poolMax,
            int workers,
            int deliveryWorkers,
            int maxConnections,
            int reserved,
            int inUse,
            Duration acquisitionTimeout,
            int maxInFlight) {

        /** Waiting longer than this for a connection is queueing into client timeouts, not shedding. */
        static final Duration LONGEST_FAST_FAIL = Duration.ofSeconds(2);

        java.util.List<String> warnings() {
            java.util.List<String> warnings = new java.util.ArrayList<>();
            int usable = maxConnections - reserved;
            if (poolMax > usable) {
                warnings.add(String.format(
                        "The pool (%d) is larger than PostgreSQL accepts (max_connections %d minus"
                                + " %d reserved): under load connections will be refused. Lower quarkus.datasource.jdbc.max-size"
                                + " or raise max_connections.",
                        poolMax, maxConnections, reserved));
            } else if (poolMax * 2 > usable) {
                warnings.add(String.format(
                        "One instance's pool (%d) is more than half of what PostgreSQL accepts (%d):"
                                + " a second instance (or a rolling update) will not fit. Size replicas x pool + headroom <="
                                + " max_connections.",
                        poolMax, usable));
            }
            if (workers > poolMax && acquisitionTimeout.compareTo(LONGEST_FAST_FAIL) > 0) {
                warnings.add(String.format(
                        "%d worker threads share %d connections and wait up to %s for one: under"
                                + " load requests queue into client timeouts instead of failing fast. Set"
                                + " quarkus.datasource.jdbc.acquisition-timeout to %ss or less.",
                        workers, poolMax, acquisitionTimeout, LONGEST_FAST_FAIL.toSeconds()));
            }
            // The incident: more workers than connections, and the excess lost without a word. Delivery threads
            // that wait for a connection fail loudly and their deliveries come due again, but they must not be
            // able to take the connections API requests need.
            if (deliveryWorkers * 2 > poolMax) {
                warnings.add(String.format(
                        "%d webhook delivery threads could hold more than half of the pool's %d connections at once,"
                                + " starving API requests. Lower orders.webhooks.concurrency or raise"
                                + " quarkus.datasource.jdbc.max-size.",
                        deliveryWorkers, poolMax));
            }
            if (maxInFlight < workers) {
                warnings.add(String.format(
                        "orders.admission.max-in-flight (%d) is below the worker threads (%d): %d"
                                + " workers can never be used. Lower quarkus.thread-pool.max-threads or raise the limit.",
                        maxInFlight, workers, workers - maxInFlight));
            }
            return warnings;
        }
    }
}
