package io.dispensary.orders.warmup;

import io.dispensary.orders.common.OrdersConfig;
import io.dispensary.orders.common.Rehearsal;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Rehearses create-order and get-order before this instance turns ready, so that its first storefront requests
 * are not the first its JIT, class loading, JSON mappers, validators, codec, connection pool and statements see.
 *
 * <p>Once the HTTP server listens, a few threads send it real requests over loopback: a two-line order (every
 * fourth one a delivery) with an Idempotency-Key, then a GET of the number it answered. They pass every layer a
 * storefront's request passes; the service rolls each one back (order.OrderService rehearses them), stages
 * their dispensary and key inside that transaction, draws no sequence value, logs no order and counts them in no
 * meter. So the GET answers 404: the order it asks for was never committed. Readiness ({@link WarmupCheck}) is
 * DOWN until the rehearsals are done or {@code orders.warmup.timeout} has passed.
 */
@ApplicationScoped
public class Warmup {

    private static final Logger LOG = Logger.getLogger(Warmup.class);
    private static final Pattern ORDER_NUMBER = Pattern.compile("\"orderNumber\"\\s*:\\s*\"([0-9]+)\"");
    private static final String ITEMS = """
            [{"sku": "FL-OG-35", "name": "OG Kush 3.5g", "category": "FLOWER", "quantity": 2,
              "unitPriceCents": 3500, "netWeightGrams": 3.5},
             {"sku": "ED-GUM-10", "name": "Gummies 10mg", "category": "EDIBLE", "quantity": 1,
              "unitPriceCents": 1899, "thcMg": 100}]""";
    private static final String ORDER = """
            {"dispensaryId": "%s",
             "customer": {"name": "Warm-up Rehearsal", "phone": "+14155550123", "email": "warmup@example.com",
                          "birthDate": "1990-12-10", "type": "RECREATIONAL"},
             "fulfillment": "%s",%s
             "items": %s}""";
    private static final String ADDRESS = """

             "deliveryAddress": {"line1": "1 Market St", "city": "San Francisco", "region": "CA",
                                 "postalCode": "94105"},""";

    /** How a warm-up went: rehearsed creates answered 201, reads answered 404 as they should, and the rest. */
    public record Outcome(int created, int read, int failed, long millis, boolean timedOut, String firstFailure) {}

    enum State {
        OFF,
        WAITING,
        RUNNING,
        DONE
    }

    private final OrdersConfig.Warmup settings;
    private final Rehearsal rehearsal;
    private volatile State state;
    private volatile Outcome outcome;
    private volatile boolean stopping;
    private final AtomicBoolean started = new AtomicBoolean();

    Warmup(OrdersConfig config, Rehearsal rehearsal) {
        this.settings = config.warmup();
        this.rehearsal = rehearsal;
        if (settings.rehearsals() < 0 || settings.concurrency() < 1 || settings.concurrency() > 64) {
            throw new IllegalArgumentException(
                    "orders.warmup.rehearsals must be 0 or more and orders.warmup.concurrency 1 to 64");
        }
        this.state = settings.enabled() ? State.WAITING : State.OFF;
    }

    /**
     * Quarkus fires the event asynchronously, once per HTTP verticle (one per event loop), as each one listens:
     * the first starts the warm-up.
     */
    void onHttpStart(@ObservesAsync HttpServerStart start) {
        if (!started.compareAndSet(false, true) || state != State.WAITING) {
            return;
        }
        state = State.RUNNING;
        int port = port(start.options().getPort());
        Thread thread = new Thread(
                () -> {
                    Outcome done = rehearse(port, settings.rehearsals(), settings.concurrency(), settings.timeout());
                    outcome = done;
                    state = State.DONE;
                    if (done.timedOut() || done.failed() > 0) {
                        LOG.warnf(
                                "Warm-up ended %s after %d ms: %d creates and %d reads rehearsed, %d failed (first: %s);"
                                        + " turning ready all the same",
                                done.timedOut() ? "by its timeout" : "with failures",
                                done.millis(),
                                done.created(),
                                done.read(),
                                done.failed(),
                                done.firstFailure());
                    } else {
                        LOG.infof(
                                "Warm-up: %d creates rehearsed and read back in %d ms, all rolled back; ready",
                                done.created(), done.millis());
                    }
                },
                "order-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    State state() {
        return state;
    }

    /** The last start-up warm-up's outcome, once it is done. */
    Outcome outcome() {
        return outcome;
    }

    /**
     * Sends {@code count} rehearsed creates, each read back, to the API on this port, {@code concurrency} at a time,
     * for at most {@code timeout}, then waits for the JIT compilers to catch up; rehearsal tokens authenticate only
     * meanwhile.
     */
    public Outcome rehearse(int port, int count, int concurrency, Duration timeout) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger created = new AtomicInteger();
        AtomicInteger read = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        URI orders = URI.create("http://127.0.0.1:" + port + "/orders");
        ExecutorService workers = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "order-warm-up-worker");
            thread.setDaemon(true);
            return thread;
        });
        rehearsal.open();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int slot = 0; slot < concurrency; slot++) {
                int s = slot;
                running.add(workers.submit(() -> {
                    int i;
                    while (!stopping && System.nanoTime() < deadline && (i = next.getAndIncrement()) < count) {
                        String failure = rehearseOne(client, orders, s, i, created, read);
                        if (failure != null) {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, failure);
                        }
                    }
                }));
            }
            for (Future<?> worker : running) {
                try {
                    worker.get(
                            Math.max(1, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(6),
                            TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, e.toString());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            rehearsal.close();
            workers.shutdownNow();
        }
        awaitQuietCompilers(
                Math.min(deadline, System.nanoTime() + settings.settle().toNanos()));
        long millis = (System.nanoTime() - started) / 1_000_000;
        boolean timedOut = next.get() < count && !stopping;
        return new Outcome(created.get(), read.get(), failed.get(), millis, timedOut, firstFailure.get());
    }

    /**
     * Waits until the JIT compilers have caught up with what the rehearsals made hot: less than 5 ms of compiling
     * in the last 100 ms, until the deadline ({@code orders.warmup.settle} after the rehearsals, at most). Without it, the compilations the
     * rehearsals queued ran beside the first storefront requests on a 2-core pod and took their CPU.
     */
    private static void awaitQuietCompilers(long deadline) {
        CompilationMXBean compilers = ManagementFactory.getCompilationMXBean();
        if (compilers == null || !compilers.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long end = deadline;
        long before = compilers.getTotalCompilationTime();
        while (System.nanoTime() < end) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = compilers.getTotalCompilationTime();
            if (now - before < 5) {
                return;
            }
            before = now;
        }
    }

    /** One rehearsal: a create that must answer 201, then a read of its number that must answer 404. */
    private String rehearseOne(
            HttpClient client, URI orders, int slot, int i, AtomicInteger created, AtomicInteger read) {
        String auth = "Bearer " + rehearsal.token(slot);
        boolean delivery = i % 4 == 3;
        String body = ORDER.formatted(
                rehearsal.dispensaryId(slot), delivery ? "DELIVERY" : "PICKUP", delivery ? ADDRESS : "", ITEMS);
        try {
            HttpResponse<String> create = client.send(
                    HttpRequest.newBuilder(orders)
                            .timeout(Duration.ofSeconds(5))
                            .header("Authorization", auth)
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json")
                            .header("Idempotency-Key", UUID.randomUUID().toString())
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher number = ORDER_NUMBER.matcher(create.body());
            if (create.statusCode() != 201 || !number.find()) {
                return "create answered " + create.statusCode() + ": " + abbreviate(create.body());
            }
            created.incrementAndGet();
            HttpResponse<String> get = client.send(
                    HttpRequest.newBuilder(orders.resolve("/orders/" + number.group(1)))
                            .timeout(Duration.ofSeconds(5))
                            .header("Authorization", auth)
                            .header("Accept", "application/json")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (get.statusCode() != 404) {
                // 200 would mean a rehearsal committed: never shrug that off.
                return "the read of rehearsed order " + number.group(1) + " answered " + get.statusCode();
            }
            read.incrementAndGet();
            return null;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** The port the API listens on: the event's, or, for a random port (tests), the one Quarkus bound. */
    private static int port(int fromEvent) {
        if (fromEvent > 0) {
            return fromEvent;
        }
        return ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.test-port", Integer.class)
                .filter(p -> p > 0)
                .orElseGet(() -> ConfigProvider.getConfig().getValue("quarkus.http.port", Integer.class));
    }
}
