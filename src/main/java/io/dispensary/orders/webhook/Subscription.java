package io.dispensary.orders.webhook;

import java.time.Instant;
import java.util.List;

/** A webhook subscription as stored; its secrets never leave the package but in the create and rotate answers. */
record Subscription(
        String id,
        String dispensaryId,
        String url,
        List<String> events,
        boolean includeTest,
        String secret,
        String previousSecret,
        Instant previousSecretExpiresAt,
        Instant createdAt,
        Instant deletedAt) {

    boolean deleted() {
        return deletedAt != null;
    }
}
