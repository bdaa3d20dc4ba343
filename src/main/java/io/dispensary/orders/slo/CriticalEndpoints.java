package io.dispensary.orders.slo;

import io.dispensary.orders.common.OrdersConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The critical endpoints named in {@code orders.slo.*}: each route with its SLO tracker and its meters.
 *
 * <p>Meters, all low-cardinality: {@code orders_slo_latency_seconds{slo, traffic}} (a histogram with a bucket
 * exactly at every threshold), {@code orders_slo_requests_total{slo, result=good|bad}} (production only, so
 * alert rules need no bucket boundaries), {@code orders_created_total} and {@code orders_rejected_total{reason}}
 * (production only; test orders are measured apart, under {@code traffic="test"}).
 */
@ApplicationScoped
public class CriticalEndpoints {

    static final String LATENCY = "orders.slo.latency";
    static final String CREATE_ORDER = "create-order";

    /** One HELP per family: Prometheus keeps one, and Micrometer writes the first meter's. */
    static final String REQUESTS_HELP = "Production requests of a critical endpoint, and for slo=webhook-delivery"
            + " order events delivered to healthy receivers, by SLO result: good within the threshold and not 5xx,"
            + " else bad";

    static final String LATENCY_HELP = "Time from routing to the end of the response of a critical endpoint's"
            + " requests, by traffic: production, or test orders (which count toward no SLO)";

    private final List<Endpoint> endpoints = new ArrayList<>();
    /** SLOs of work that is not a request (webhook delivery): shown and exported like the endpoints'. */
    private final List<SloTracker> others = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Clock clock;
    private final long minRequests;
    private final MeterRegistry registry;
    private final Counter created;
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    public CriticalEndpoints(OrdersConfig config, MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.minRequests = config.sloMinRequests();
        config.slo().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            OrdersConfig.Slo slo = entry.getValue();
            SloTracker tracker =
                    new SloTracker(entry.getKey(), slo.objective(), slo.threshold(), slo.period(), minRequests, clock);
            endpoints.add(new Endpoint(
                    tracker,
                    slo.method().toUpperCase(java.util.Locale.ROOT),
                    routePattern(slo.route()),
                    meters(entry.getKey(), registry)));
        });
        this.created = Counter.builder("orders.created")
                .description("Production orders created: POST /orders answered 201, not counting idempotent replays"
                        + " or test orders")
                .register(registry);
    }

    public List<SloTracker> trackers() {
        List<SloTracker> trackers =
                new ArrayList<>(endpoints.stream().map(Endpoint::tracker).toList());
        trackers.addAll(others);
        return trackers;
    }

    /** Records one event of an SLO that is not an endpoint's: good when it took at most the threshold. */
    @FunctionalInterface
    public interface Objective {
        void record(Duration latency);
    }

    /**
     * An SLO of something other than a request, e.g. the time from an order change to its webhook's delivery:
     * in /q/slo, and counted in {@code orders_slo_requests_total{slo=name}} so the burn-rate rules cover it.
     */
    public Objective objective(String name, double objective, Duration threshold, Duration period) {
        SloTracker tracker = new SloTracker(name, objective, threshold, period, minRequests, clock);
        others.add(tracker);
        // Counters only: a latency histogram of minutes-long waits would need buckets of its own, and the burn
        // rates need none.
        Counter good = Counter.builder("orders.slo.requests")
                .description(REQUESTS_HELP)
                .tag("slo", name)
                .tag("result", "good")
                .register(registry);
        Counter bad = Counter.builder("orders.slo.requests")
                .description(REQUESTS_HELP)
                .tag("slo", name)
                .tag("result", "bad")
                .register(registry);
        return latency -> {
            boolean isGood = latency.compareTo(threshold) <= 0;
            tracker.record(latency, isGood);
            (isGood ? good : bad).increment();
        };
    }

    Optional<Endpoint> match(String method, String path) {
        for (Endpoint endpoint : endpoints) {
            if (endpoint.method.equals(method) && endpoint.route.matcher(path).matches()) {
                return Optional.of(endpoint);
            }
        }
        return Optional.empty();
    }

    /** Counts one finished request of a critical endpoint. */
    void served(Endpoint endpoint, Duration latency, int status, boolean test, boolean replayed, String problem) {
        if (test) {
            endpoint.meters.testLatency.record(latency);
            return;
        }
        endpoint.meters.latency.record(latency);
        boolean good = endpoint.tracker.isGood(latency, status);
        endpoint.tracker.record(latency, good);
        (good ? endpoint.meters.good : endpoint.meters.bad).increment();
        if (CREATE_ORDER.equals(endpoint.tracker.name())) {
            if (status == 201 && !replayed) {
                created.increment();
            } else if (status >= 400) {
                String reason = problem != null ? problem : String.valueOf(status);
                rejected.computeIfAbsent(reason, r -> Counter.builder("orders.rejected")
                                .description("Production POST /orders answered 4xx or 5xx, by problem type (the status"
                                        + " when there is none)")
                                .tag("reason", r)
                                .register(registry))
                        .increment();
            }
        }
    }

    private static Meters meters(String slo, MeterRegistry registry) {
        return new Meters(
                Timer.builder(LATENCY)
                        .description(LATENCY_HELP)
                        .tag("slo", slo)
                        .tag("traffic", "production")
                        .register(registry),
                Timer.builder(LATENCY)
                        .description(LATENCY_HELP)
                        .tag("slo", slo)
                        .tag("traffic", "test")
                        .register(registry),
                Counter.builder("orders.slo.requests")
                        .description(REQUESTS_HELP)
                        .tag("slo", slo)
                        .tag("result", "good")
                        .register(registry),
                Counter.builder("orders.slo.requests")
                        .description(REQUESTS_HELP)
                        .tag("slo", slo)
                        .tag("result", "bad")
                        .register(registry));
    }

    /** {@code /orders/{orderNumber}} -> {@code /orders/[^/]+}. */
    static Pattern routePattern(String template) {
        StringBuilder regex = new StringBuilder();
        for (String part : template.split("(?=\\{)|(?<=\\})")) {
            regex.append(part.startsWith("{") && part.endsWith("}") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    record Endpoint(SloTracker tracker, String method, Pattern route, Meters meters) {}

    record Meters(Timer latency, Timer testLatency, Counter good, Counter bad) {}
}
