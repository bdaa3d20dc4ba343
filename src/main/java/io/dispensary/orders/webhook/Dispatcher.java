package io.dispensary.orders.webhook;

import io.dispensary.orders.common.OrdersConfig;
import io.dispensary.orders.common.database.DatabaseFault;
import io.dispensary.orders.slo.CriticalEndpoints;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * This instance's delivery workers. One dispatcher thread claims due deliveries (a short transaction: the
 * connection is back in the pool before any receiver is called) and hands each to one of {@code concurrency}
 * sender threads, never more than {@code concurrency-per-subscription} to one subscription: a receiver that hangs
 * holds at most that many threads for at most the request timeout, and the others keep flowing. A sender takes a
 * connection again only to record the result. Every instance runs one; SKIP LOCKED shares the work.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private static final long FAILURE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final DeliveryStore store;
    private final WebhookMetrics metrics;
    private final OrdersConfig.Webhooks settings;
    private final RetrySchedule schedule;
    private final TargetPolicy targets;
    private final Clock clock;
    private final CriticalEndpoints.Objective deliverySlo;
    private final HttpClient http;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlightBySubscription = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private boolean woken;

    private volatile boolean running;
    private Thread thread;
    private ExecutorService senders;
    private long lastFailureLog = System.nanoTime() - FAILURE_LOG_INTERVAL_NANOS;

    Dispatcher(DeliveryStore store, WebhookMetrics metrics, OrdersConfig config, CriticalEndpoints slos, Clock clock) {
        this.store = store;
        this.metrics = metrics;
        this.settings = config.webhooks();
        this.schedule = new RetrySchedule(
                settings.retrySchedule(), () -> ThreadLocalRandom.current().nextDouble());
        this.targets = new TargetPolicy(settings.allowPrivateTargets(), InetAddress::getAllByName);
        this.clock = clock;
        if (settings.concurrency() < 1 || settings.concurrencyPerSubscription() < 1) {
            throw new IllegalStateException(
                    "orders.webhooks.concurrency and concurrency-per-subscription must be 1 or more");
        }
        if (settings.lease().compareTo(settings.requestTimeout().plusSeconds(5)) < 0) {
            throw new IllegalStateException("orders.webhooks.lease (" + settings.lease()
                    + ") must exceed the request timeout by 5 s at least, or a slow delivery is sent twice");
        }
        this.deliverySlo = slos.objective(
                "webhook-delivery", settings.sloObjective(), settings.sloThreshold(), Duration.ofDays(28));
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                // A redirect is an answer that is not 2xx: the receiver fixes its URL, the service does not follow.
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The threads that may reach the database on this instance's behalf: the dispatcher and its senders. */
    public int workers() {
        return settings.concurrency() + 1;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        AtomicInteger number = new AtomicInteger();
        senders = Executors.newFixedThreadPool(settings.concurrency(), task -> {
            Thread sender = new Thread(task, "webhook-sender-" + number.incrementAndGet());
            sender.setDaemon(true);
            return sender;
        });
        thread = new Thread(this::run, "webhook-dispatcher");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops claiming, and lets what is in flight finish within the request timeout; what does not is sent again by
     * another instance once its lease ends.
     */
    void stop(@Observes ShutdownEvent event) {
        running = false;
        wake();
        // The dispatcher first, so nothing is claimed for senders that are gone (it would wait out its lease).
        if (thread != null) {
            try {
                thread.join(settings.pollInterval().toMillis() + 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (senders != null) {
            senders.shutdown();
            try {
                senders.awaitTermination(settings.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Looks for due deliveries now rather than at the next poll (an order change committed, a slot freed). */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (running) {
            int free = settings.concurrency() - inFlight.get();
            boolean full = false;
            if (free > 0) {
                try {
                    List<DeliveryStore.Claimed> claimed =
                            store.claim(busy(), settings.concurrencyPerSubscription(), free, settings.lease());
                    claimed.forEach(this::submit);
                    full = claimed.size() == free;
                } catch (RuntimeException e) {
                    logFailure("Could not claim webhook deliveries: %s", e);
                }
            }
            if (!full) {
                await(settings.pollInterval());
            }
        }
    }

    private Map<String, Integer> busy() {
        Map<String, Integer> busy = new HashMap<>();
        inFlightBySubscription.forEach((id, count) -> {
            if (count.get() > 0) {
                busy.put(id, count.get());
            }
        });
        return busy;
    }

    private void await(Duration timeout) {
        lock.lock();
        try {
            if (!woken) {
                work.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private void submit(DeliveryStore.Claimed claimed) {
        inFlight.incrementAndGet();
        inFlightBySubscription
                .computeIfAbsent(claimed.subscriptionId(), id -> new AtomicInteger())
                .incrementAndGet();
        senders.execute(() -> {
            try {
                deliver(claimed);
            } finally {
                inFlightBySubscription.get(claimed.subscriptionId()).decrementAndGet();
                inFlight.decrementAndGet();
                wake();
            }
        });
    }

    /** One attempt: send, then record what the receiver said. */
    void deliver(DeliveryStore.Claimed claimed) {
        Attempt attempt = send(claimed);
        metrics.attempt(claimed.subscriptionId(), attempt.success());
        try {
            if (attempt.success()) {
                Optional<Instant> delivered = store.delivered(claimed, attempt.statusCode());
                if (delivered.isPresent()) {
                    metrics.ended(claimed.subscriptionId(), DeliveryState.DELIVERED, 1);
                    // Only receivers that never failed this event: a receiver that is down is not the service late.
                    if (claimed.failures() == 0) {
                        deliverySlo.record(Duration.between(claimed.occurredAt(), delivered.get()));
                    }
                }
            } else {
                Optional<Duration> wait = schedule.next(claimed.failures() + 1);
                if (store.failed(claimed, attempt.statusCode(), attempt.error(), wait) && wait.isEmpty()) {
                    metrics.ended(claimed.subscriptionId(), DeliveryState.DEAD, 1);
                    LOG.warnf(
                            "Webhook %s to subscription %s is dead after %d failed attempts (last: %s); retry it with"
                                    + " POST /admin/webhooks/%s/deliveries/%s/retry",
                            claimed.eventId(),
                            claimed.subscriptionId(),
                            claimed.failures() + 1,
                            attempt.error(),
                            claimed.subscriptionId(),
                            claimed.eventId());
                }
            }
        } catch (RuntimeException e) {
            // The lease runs out and the delivery is due again: sent twice at worst, with the same webhook-id.
            logFailure("Could not record a webhook attempt (it will be sent again): %s", e);
        }
    }

    /** What one request got: a status code (null when none came) and, for a failure, why. */
    record Attempt(boolean success, Integer statusCode, String error) {}

    Attempt send(DeliveryStore.Claimed claimed) {
        Optional<String> refused = targets.refused(claimed.url());
        if (refused.isPresent()) {
            return new Attempt(false, null, "not sent: the URL " + refused.get());
        }
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(claimed.url()))
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "order-service-webhooks/1")
                .header("webhook-id", claimed.eventId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header(
                        "webhook-signature",
                        Signature.header(claimed.secrets(), claimed.eventId(), timestamp, claimed.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(claimed.payload()))
                .build();
        CompletableFuture<HttpResponse<Void>> response =
                http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            // The request timeout bounds the wait for the answer's head; this bounds the whole exchange.
            int status = response.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .statusCode();
            boolean success = status >= 200 && status < 300;
            return new Attempt(success, status, success ? null : "HTTP " + status);
        } catch (TimeoutException e) {
            response.cancel(true);
            return new Attempt(
                    false, null, "no answer within " + settings.requestTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.cancel(true);
            return new Attempt(false, null, "interrupted: the instance is stopping");
        } catch (ExecutionException e) {
            return new Attempt(false, null, describe(e.getCause()));
        }
    }

    private String describe(Throwable failure) {
        if (failure instanceof HttpConnectTimeoutException) {
            return "could not connect within " + settings.connectTimeout().toMillis() + " ms";
        }
        if (failure instanceof HttpTimeoutException) {
            return "no answer within " + settings.requestTimeout().toMillis() + " ms";
        }
        if (failure instanceof ConnectException) {
            return "connection refused";
        }
        if (failure instanceof IOException) {
            return "I/O error: "
                    + (failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage());
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    private void logFailure(String format, RuntimeException e) {
        long now = System.nanoTime();
        if (now - lastFailureLog >= FAILURE_LOG_INTERVAL_NANOS) {
            lastFailureLog = now;
            LOG.warnf(format, DatabaseFault.message(e));
        }
    }

    /** For tests: deliveries this instance has in flight. */
    int inFlight() {
        return inFlight.get();
    }
}
