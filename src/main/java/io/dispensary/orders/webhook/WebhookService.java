package io.dispensary.orders.webhook;

import io.dispensary.orders.common.OrdersConfig;
import io.dispensary.orders.common.problem.ApiProblem;
import io.dispensary.orders.common.problem.Problem;
import io.dispensary.orders.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/** Webhook subscriptions and the accounting of their deliveries: the admin API's side; each method one transaction. */
@ApplicationScoped
public class WebhookService {

    private static final Logger LOG = Logger.getLogger(WebhookService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SubscriptionStore subscriptions;
    private final DeliveryStore deliveries;
    private final TenantService tenants;
    private final WebhookMetrics metrics;
    private final Dispatcher dispatcher;
    private final OrdersConfig.Webhooks settings;
    private final TargetPolicy targets;
    private final Clock clock;

    WebhookService(
            SubscriptionStore subscriptions,
            DeliveryStore deliveries,
            TenantService tenants,
            WebhookMetrics metrics,
            Dispatcher dispatcher,
            OrdersConfig config,
            Clock clock) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.tenants = tenants;
        this.metrics = metrics;
        this.dispatcher = dispatcher;
        this.settings = config.webhooks();
        this.targets = new TargetPolicy(settings.allowPrivateTargets(), InetAddress::getAllByName);
        this.clock = clock;
    }

    /** A new subscription, with its secret, which is shown this once. */
    @Transactional
    public SubscriptionView subscribe(SubscriptionRequest request) {
        List<Problem.Violation> violations = new ArrayList<>();
        TargetPolicy.malformed(request.url()).ifPresent(why -> violations.add(new Problem.Violation("url", why)));
        Set<String> events = new LinkedHashSet<>();
        for (int i = 0; i < request.events().size(); i++) {
            String name = request.events().get(i);
            if (OrderEvent.Type.ofWireName(name).isEmpty()) {
                violations.add(new Problem.Violation(
                        "events[" + i + "]", "must be one of order.created, order.status_changed"));
            }
            events.add(name);
        }
        if (!violations.isEmpty()) {
            throw ApiProblem.validation(violations);
        }
        Optional<String> refused = targets.refused(request.url());
        if (refused.isPresent()) {
            throw new ApiProblem(
                    422, "webhook-target-refused", "Webhook target refused", "The URL " + refused.get() + ".");
        }
        if (tenants.rules(request.dispensaryId()).isEmpty()) {
            throw new ApiProblem(
                    422,
                    "unknown-dispensary",
                    "Unknown dispensary",
                    "There is no dispensary " + request.dispensaryId() + ".");
        }
        Subscription subscription = new Subscription(
                newId(),
                request.dispensaryId(),
                request.url(),
                List.copyOf(events),
                request.wantsTest(),
                Signature.newSecret(),
                null,
                null,
                now(),
                null);
        subscriptions.insert(subscription);
        // The URL may carry a token in its path or query; the log names the host only.
        LOG.infof(
                "Webhook subscription %s for %s: %s to %s%s",
                subscription.id(),
                subscription.dispensaryId(),
                subscription.events(),
                java.net.URI.create(subscription.url()).getHost(),
                subscription.includeTest() ? ", test orders included" : "");
        return SubscriptionView.of(subscription, now()).withSecret(subscription.secret());
    }

    @Transactional
    public SubscriptionView get(String id) {
        return SubscriptionView.of(find(id), now());
    }

    @Transactional
    public SubscriptionList list(String dispensaryId) {
        Instant now = now();
        return new SubscriptionList(subscriptions.ofDispensary(dispensaryId).stream()
                .map(subscription -> SubscriptionView.of(subscription, now))
                .toList());
    }

    /**
     * Deletes a subscription: nothing more is sent to it, and what was not delivered is cancelled (and counted so).
     * The row stays, so its summary still adds up. Deleting it again changes nothing.
     */
    @Transactional
    public void delete(String id) {
        Subscription subscription = subscriptions
                .find(id, true)
                .orElseThrow(() -> ApiProblem.notFound("There is no webhook subscription " + id + "."));
        if (subscription.deleted()) {
            return;
        }
        subscriptions.markDeleted(id, now());
        int cancelled = deliveries.cancelAll(id);
        metrics.ended(id, DeliveryState.CANCELLED, cancelled);
        LOG.infof("Webhook subscription %s deleted; %d undelivered deliveries cancelled", id, cancelled);
    }

    /** A new secret, shown this once; the one it replaces keeps signing for orders.webhooks.secret-overlap. */
    @Transactional
    public SubscriptionView rotateSecret(String id) {
        Subscription subscription = live(id, true);
        String secret = Signature.newSecret();
        Instant until = now().plus(settings.secretOverlap());
        subscriptions.rotate(id, secret, until);
        LOG.infof("Webhook subscription %s has a new secret; the previous one signs too until %s", id, until);
        return SubscriptionView.of(
                        new Subscription(
                                subscription.id(),
                                subscription.dispensaryId(),
                                subscription.url(),
                                subscription.events(),
                                subscription.includeTest(),
                                secret,
                                subscription.secret(),
                                until,
                                subscription.createdAt(),
                                null),
                        now())
                .withSecret(secret);
    }

    @Transactional
    public DeliverySummary summary(String id) {
        find(id);
        return deliveries.summary(id);
    }

    @Transactional
    public DeliveryPage deliveries(String id, DeliveryState state, int limit, String cursor) {
        find(id);
        long after = cursor == null ? 0 : DeliveryCursor.decode(cursor);
        List<DeliveryStore.Row> rows = deliveries.page(id, state, after, limit + 1);
        boolean more = rows.size() > limit;
        List<DeliveryStore.Row> page = more ? rows.subList(0, limit) : rows;
        return new DeliveryPage(
                page.stream().map(DeliveryView::of).toList(),
                more ? DeliveryCursor.encode(page.get(page.size() - 1).eventSeq()) : null);
    }

    /** Makes a dead or waiting delivery due now; one being attempted is left to that attempt. */
    public DeliveryView retry(String id, String eventId) {
        DeliveryStore.Retry result = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> {
                    live(id, false);
                    return deliveries.retryNow(id, eventId);
                });
        switch (result) {
            case UNKNOWN ->
                throw ApiProblem.notFound("Subscription " + id + " has no delivery of event " + eventId + ".");
            case FINISHED ->
                throw new ApiProblem(
                        409,
                        "delivery-finished",
                        "Delivery finished",
                        "Event " + eventId + " was already delivered to " + id
                                + ", or cancelled; there is nothing to retry.");
            default -> dispatcher.wake();
        }
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> DeliveryView.of(deliveries.find(id, eventId).orElseThrow()));
    }

    private Subscription find(String id) {
        return subscriptions
                .find(id, false)
                .orElseThrow(() -> ApiProblem.notFound("There is no webhook subscription " + id + "."));
    }

    private Subscription live(String id, boolean forUpdate) {
        Subscription subscription = subscriptions
                .find(id, forUpdate)
                .orElseThrow(() -> ApiProblem.notFound("There is no webhook subscription " + id + "."));
        if (subscription.deleted()) {
            throw ApiProblem.notFound("Webhook subscription " + id + " was deleted.");
        }
        return subscription;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** {@code wh_} and 16 random bytes, base64url: unguessable, and within the admin API's id pattern. */
    private static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "wh_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The position after which the next page starts, sealed only against typos: the admin API is trusted. */
    static final class DeliveryCursor {

        private DeliveryCursor() {}

        static String encode(long seq) {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(("d1:" + seq).getBytes(StandardCharsets.UTF_8));
        }

        static long decode(String cursor) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                if (text.startsWith("d1:")) {
                    long seq = Long.parseLong(text.substring(3));
                    if (seq >= 0) {
                        return seq;
                    }
                }
            } catch (IllegalArgumentException e) {
                // Falls through to the one answer for every bad cursor.
            }
            throw ApiProblem.validation(List.of(new Problem.Violation("cursor", "is not a cursor this API gave")));
        }
    }
}
