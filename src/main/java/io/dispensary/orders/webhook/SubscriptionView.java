package io.dispensary.orders.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A subscription as the admin API shows it. {@code secret} only in the answers to a create or a rotation: it is
 * shown once. {@code previousSecretExpiresAt}: until then the secret before the last rotation signs too.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionView(
        String id,
        String dispensaryId,
        String url,
        List<String> events,
        boolean includeTest,
        Instant createdAt,
        Instant previousSecretExpiresAt,
        Instant deletedAt,
        String secret) {

    static SubscriptionView of(Subscription subscription, Instant now) {
        return new SubscriptionView(
                subscription.id(),
                subscription.dispensaryId(),
                subscription.url(),
                subscription.events(),
                subscription.includeTest(),
                subscription.createdAt(),
                subscription.previousSecretExpiresAt() != null
                                && subscription.previousSecretExpiresAt().isAfter(now)
                        ? subscription.previousSecretExpiresAt()
                        : null,
                subscription.deletedAt(),
                null);
    }

    SubscriptionView withSecret(String shownOnce) {
        return new SubscriptionView(
                id, dispensaryId, url, events, includeTest, createdAt, previousSecretExpiresAt, deletedAt, shownOnce);
    }
}
