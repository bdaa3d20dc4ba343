package io.dispensary.orders.webhook;

import io.dispensary.orders.common.OrdersConfig;
import io.dispensary.orders.common.database.DatabaseFault;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Every monitor interval, on every instance: reads the backlog for the gauges, cancels what was fanned out to a
 * subscription while it was being deleted, and prunes delivered and cancelled deliveries past the retention (dead
 * ones stay until retried), so the outbox cannot grow without bound.
 */
@ApplicationScoped
public class WebhookMonitor {

    private static final Logger LOG = Logger.getLogger(WebhookMonitor.class);

    /** Rows per pruning statement, and statements per run: a short transaction each, a bounded run. */
    static final int PRUNE_BATCH = 1000;

    static final int PRUNE_BATCHES_PER_RUN = 20;

    private final DeliveryStore deliveries;
    private final WebhookMetrics metrics;
    private final OrdersConfig.Webhooks settings;
    /** A round that runs into the shutdown finds the pool closed: that is no outage worth a line. */
    private volatile boolean stopping;

    WebhookMonitor(DeliveryStore deliveries, WebhookMetrics metrics, OrdersConfig config) {
        this.deliveries = deliveries;
        this.metrics = metrics;
        this.settings = config.webhooks();
    }

    void onStart(@Observes StartupEvent event, Scheduler scheduler) {
        scheduler
                .newJob("webhook-monitor")
                .setInterval(settings.monitorInterval().toMillis() + "ms")
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> run())
                .schedule();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** One round; public for tests that do not wait for the schedule. */
    public void run() {
        try {
            Map<String, Integer> cancelled = deliveries.cancelOfDeleted();
            cancelled.forEach((subscription, count) -> metrics.ended(subscription, DeliveryState.CANCELLED, count));
            metrics.backlog(deliveries.backlog());
            prune();
        } catch (RuntimeException e) {
            if (stopping) {
                return;
            }
            LOG.warnf("Could not read or prune the webhook outbox: %s", DatabaseFault.message(e));
        }
    }

    /**
     * The backlog per live subscription as the last round read it (what the backlog and lag gauges show), for the
     * status page; empty until the first round.
     */
    public java.util.List<WebhookLag> lag() {
        return metrics.latest();
    }

    /** Answers how many deliveries went. */
    public int prune() {
        int pruned = 0;
        for (int batch = 0; batch < PRUNE_BATCHES_PER_RUN; batch++) {
            int gone = deliveries.prune(settings.retention(), PRUNE_BATCH);
            pruned += gone;
            if (gone < PRUNE_BATCH) {
                break;
            }
        }
        if (pruned > 0) {
            LOG.debugf(
                    "Pruned %d delivered or cancelled webhook deliveries older than %s", pruned, settings.retention());
        }
        return pruned;
    }
}
