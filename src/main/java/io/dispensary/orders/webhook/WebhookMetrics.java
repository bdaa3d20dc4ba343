package io.dispensary.orders.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The webhook meters, by subscription id (bounded: subscriptions are made by admins, and a deleted one's gauges go).
 *
 * <ul>
 *   <li>{@code orders_webhook_attempts_total{subscription, outcome=success|failure}}: every request to a receiver.
 *   <li>{@code orders_webhook_deliveries_total{subscription, result=delivered|dead|cancelled}}: deliveries this
 *       instance brought to an end.
 *   <li>{@code orders_webhook_backlog{subscription, status=pending|retrying|dead}} and {@code
 *       orders_webhook_lag_seconds{subscription, status=pending|retrying}}: read from PostgreSQL, the same on every
 *       instance (alert on their max, never their sum).
 * </ul>
 */
@ApplicationScoped
class WebhookMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, DeliveryStore.Backlog> backlog = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> gauges = new ConcurrentHashMap<>();

    WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void attempt(String subscription, boolean success) {
        counter(
                        "orders.webhook.attempts",
                        "Delivery attempts this instance sent to webhook receivers, by outcome: success (2xx), failure"
                                + " (any other status, a timeout or a refused connection)",
                        subscription,
                        "outcome",
                        success ? "success" : "failure")
                .increment();
    }

    void ended(String subscription, DeliveryState result, int count) {
        counter(
                        "orders.webhook.deliveries",
                        "Webhook deliveries brought to an end by this instance: delivered, dead (retries spent) or"
                                + " cancelled (subscription deleted)",
                        subscription,
                        "result",
                        result.column())
                .increment(count);
    }

    private Counter counter(String name, String description, String subscription, String key, String value) {
        return counters.computeIfAbsent(name + '|' + subscription + '|' + value, k -> Counter.builder(name)
                .description(description)
                .tag("subscription", subscription)
                .tag(key, value)
                .register(registry));
    }

    /** The latest backlog read: live subscriptions get gauges, deleted ones lose theirs. */
    void backlog(List<DeliveryStore.Backlog> latest) {
        Set<String> live =
                latest.stream().map(DeliveryStore.Backlog::subscriptionId).collect(Collectors.toSet());
        for (DeliveryStore.Backlog each : latest) {
            backlog.put(each.subscriptionId(), each);
            gauges.computeIfAbsent(each.subscriptionId(), this::register);
        }
        for (String gone : Set.copyOf(gauges.keySet())) {
            if (!live.contains(gone)) {
                gauges.remove(gone).forEach(registry::remove);
                backlog.remove(gone);
            }
        }
    }

    /** The backlog the gauges show, by subscription id: a copy, so a reader never sees a round half-applied. */
    List<WebhookLag> latest() {
        return backlog.values().stream()
                .sorted(java.util.Comparator.comparing(DeliveryStore.Backlog::subscriptionId))
                .map(b -> new WebhookLag(
                        b.subscriptionId(), b.pending(), b.retrying(), b.dead(), b.pendingAge(), b.retryingAge()))
                .toList();
    }

    private List<Meter> register(String subscription) {
        String backlogHelp = "Webhook deliveries of a subscription in a state, read from PostgreSQL (the same on"
                + " every instance)";
        String lagHelp = "Age of the oldest webhook delivery of a subscription in a state (0 when none): pending is"
                + " the service's own backlog, retrying a failing receiver";
        return List.of(
                gauge("orders.webhook.backlog", backlogHelp, null, subscription, "pending", b -> b.pending()),
                gauge("orders.webhook.backlog", backlogHelp, null, subscription, "retrying", b -> b.retrying()),
                gauge("orders.webhook.backlog", backlogHelp, null, subscription, "dead", b -> b.dead()),
                gauge(
                        "orders.webhook.lag",
                        lagHelp,
                        "seconds",
                        subscription,
                        "pending",
                        DeliveryStore.Backlog::pendingAge),
                gauge(
                        "orders.webhook.lag",
                        lagHelp,
                        "seconds",
                        subscription,
                        "retrying",
                        DeliveryStore.Backlog::retryingAge));
    }

    /** One gauge of a subscription's latest backlog read; {@code baseUnit} null for a count. */
    private Meter gauge(
            String name,
            String description,
            String baseUnit,
            String subscription,
            String status,
            java.util.function.ToDoubleFunction<DeliveryStore.Backlog> value) {
        return Gauge.builder(name, backlog, all -> {
                    DeliveryStore.Backlog latest = all.get(subscription);
                    return latest == null ? Double.NaN : value.applyAsDouble(latest);
                })
                .description(description)
                .baseUnit(baseUnit)
                .tag("subscription", subscription)
                .tag("status", status)
                .register(registry);
    }
}
