package io.dispensary.orders.webhook;

/**
 * One subscription's backlog as the last monitor round read it (the figures behind {@code orders_webhook_backlog}
 * and {@code orders_webhook_lag_seconds}): a read-only copy for pages that show it.
 */
public record WebhookLag(
        String subscriptionId,
        long pending,
        long retrying,
        long dead,
        double oldestPendingSeconds,
        double oldestRetryingSeconds) {}
