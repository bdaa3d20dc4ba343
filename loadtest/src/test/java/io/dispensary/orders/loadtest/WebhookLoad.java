package io.dispensary.orders.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The webhooks step: do the delivery workers starve create-order? Rounds of the storefront mix at a fixed rate,
 * interleaved a b a b ...: (a) on dispensaries without a subscription, (b) on dispensaries whose every order fans
 * out an event to a real receiver ({@link WebhookReceiver}) while a backlog of at least {@code --backlog} events
 * drains. Both kinds of round are preceded by the same burst of orders and the same pause, so the only difference
 * is the delivery work; in (b) the receiver stalls during the burst (each delivery held a few seconds, under the
 * service's request timeout), so the burst's events are still pending when the round starts, then answers 204 at
 * once (or after {@code --receiver-delay-ms}).
 *
 * <p>The storefront mix is {@link StorefrontSimulation}'s, in plain Java on {@link NettyHttp} so that one JVM
 * runs every round and the receiver: 90% shoppers (create with an Idempotency-Key, read it back, 30% list), 10%
 * staff test orders with the INTERNAL key; open model, uniform arrivals, each create's latency counted from when
 * it was due. Create-order p50/p99 are of the shoppers' creates, as Gatling's "create order".
 *
 * <p>Noise is the spread of the (a) rounds' p99, (max - min) / median; create p99 with the workers is within
 * it when the median of the (b) rounds' p99 is at most the (a) median times (1 + noise). Ratios are taken within
 * each pair too, since on a shared 2-core machine rounds minutes apart differ more than pairs do.
 */
public final class WebhookLoad {

    private static final Pattern ORDER_NUMBER = Pattern.compile("\"orderNumber\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern COUNT = Pattern.compile("\"(created|delivered|pending|retrying|dead|cancelled)\""
            + "\\s*:\\s*(\\d+)");
    /** Under the service's default 5 s request timeout: a stalled delivery is slow, never failed. */
    private static final long STALL_MS = 3000;
    private static final String ADDRESS = """

             "deliveryAddress": {"line1": "1 Market St", "city": "San Francisco", "region": "CA",
                                 "postalCode": "94105"},""";
    private static final String ORDER = """
            {"dispensaryId": "%s",%s
             "customer": {"name": "Ada Lovelace", "phone": "+14155550123", "email": "ada@example.com",
                          "birthDate": "1990-12-10", "type": "%s"},
             "fulfillment": "%s",%s
             "items": [{"sku": "FL-OG-35", "name": "OG Kush 3.5g", "category": "FLOWER", "quantity": %d,
                        "unitPriceCents": 3500, "netWeightGrams": 3.5},
                       {"sku": "ED-GUM-10", "name": "Gummies 10mg", "category": "EDIBLE", "quantity": 1,
                        "unitPriceCents": 1899, "thcMg": 100}]}""";

    private final String target;
    private final String adminToken;
    private final String internalKey;
    private final Tenants withoutHooks;
    private final Tenants withHooks;
    private final NettyHttp http = new NettyHttp(Duration.ofSeconds(10));
    private final HttpClient admin = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> subscriptions = new ArrayList<>();
    private final java.util.concurrent.ScheduledExecutorService retry =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "burst-retry");
                thread.setDaemon(true);
                return thread;
            });
    /** Shoppers' (not test) orders created on the dispensaries with subscriptions: one order.created event each. */
    private final AtomicInteger hookedOrders = new AtomicInteger();
    /** When the last burst began: the (b) round after it owns the events from then on. */
    private Instant burstStart = Instant.EPOCH;
    /** The lag of every event of every (b) round (not the warm-up's). */
    private final List<Double> roundLags = new ArrayList<>();

    /** A set of dispensaries with their storefront keys, pairwise. */
    record Tenants(String[] dispensaries, String[] keys, boolean hooked) {

        static Tenants of(String dispensaries, String keys, boolean hooked) {
            String[] d = dispensaries.split(",");
            String[] k = keys.split(",");
            if (d.length != k.length) {
                throw new IllegalArgumentException("dispensaries and keys must pair up: " + dispensaries);
            }
            return new Tenants(d, k, hooked);
        }
    }

    /** One measured round. */
    record Round(int pair, String kind, int shopperCreates, int created, int failures, Map<Integer, Integer> statuses,
            double p50, double p99, double max, long backlogAtStart, double drainSeconds, Lag all, Lag live) {
    }

    /** Delivery lag (arrival at the receiver minus the event's timestamp) of a set of events, in ms. */
    record Lag(int events, double p50, double p99, double max) {

        static Lag of(List<Double> lags) {
            long[] nanos = lags.stream().mapToLong(ms -> (long) (ms * 1e6)).toArray();
            return new Lag(nanos.length, Stats.percentileMs(nanos, nanos.length, 50),
                    Stats.percentileMs(nanos, nanos.length, 99), Stats.percentileMs(nanos, nanos.length, 100));
        }

        String text() {
            return events == 0 ? "-" : String.format(Locale.ROOT, "%.0f / %.0f / %.0f ms (%d)", p50, p99, max, events);
        }
    }

    private WebhookLoad(Args args) {
        this.target = args.get("target");
        this.adminToken = args.get("admin-token");
        this.internalKey = args.get("internal-key");
        this.withoutHooks = Tenants.of(args.get("dispensaries-a"), args.get("keys-a"), false);
        this.withHooks = Tenants.of(args.get("dispensaries-b"), args.get("keys-b"), true);
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        boolean ok;
        try (WebhookReceiver receiver = new WebhookReceiver(args.getInt("receiver-port", 19100))) {
            ok = new WebhookLoad(args).run(args, receiver);
        }
        System.exit(ok ? 0 : 1);
    }

    private boolean run(Args args, WebhookReceiver receiver) throws Exception {
        double rate = args.getDouble("rate", 20);
        int seconds = args.getInt("seconds", 15);
        int pairs = args.getInt("pairs", 2);
        int backlog = args.getInt("backlog", 1000);
        int burstConcurrency = args.getInt("burst-concurrency", 8);
        long receiverDelay = args.getInt("receiver-delay-ms", 0);
        int settle = args.getInt("settle-seconds", 2);
        int drainTimeout = args.getInt("drain-timeout-seconds", 180);
        int warmup = args.getInt("warmup-seconds", 5);
        Path out = Path.of(args.get("out"));
        Files.createDirectories(out.getParent());

        for (String dispensary : withHooks.dispensaries()) {
            subscriptions.add(subscribe(dispensary, "http://127.0.0.1:" + args.getInt("receiver-port", 19100)
                    + "/hooks/" + dispensary));
        }
        log("subscriptions %s on %s; receiver on 127.0.0.1:%d", subscriptions, String.join(",",
                withHooks.dispensaries()), args.getInt("receiver-port", 19100));
        // Unmeasured: both paths warmed, the delivery one included (a backlog drained at full speed).
        storefront(withoutHooks, rate, warmup);
        burst(withoutHooks, backlog, burstConcurrency);
        burst(withHooks, backlog, burstConcurrency);
        storefront(withHooks, rate, warmup);
        if (!drained(drainTimeout)) {
            log("the warm-up's events did not drain within %d s", drainTimeout);
        }

        List<Round> rounds = new ArrayList<>();
        StringBuilder series = new StringBuilder("pair\tkind\tdue_ms_into_round\tdue_epoch_ms\tlatency_ms\n");
        StringBuilder tsv = new StringBuilder("pair\tkind\tshopper_creates\tcreated_201\tfailures\tp50_ms\tp99_ms"
                + "\tmax_ms\tbacklog_at_start\tdrain_s\tlag_all_p50_ms\tlag_all_p99_ms\tlag_all_max_ms"
                + "\tlag_live_p50_ms\tlag_live_p99_ms\tlag_live_max_ms\tstatuses\tload_average\n");
        for (int pair = 1; pair <= pairs; pair++) {
            for (Tenants tenants : List.of(withoutHooks, withHooks)) {
                String kind = tenants.hooked() ? "b" : "a";
                if (tenants.hooked()) {
                    receiver.delay(STALL_MS);
                }
                // The same burst before both kinds; (b)'s is the backlog. A margin over it, since the stalled
                // receiver still takes a few.
                burst(tenants, backlog + 50, burstConcurrency);
                Thread.sleep(settle * 1000L);
                long pending = tenants.hooked() ? unfinished() : 0;
                Instant start = Instant.now();
                receiver.delay(receiverDelay);
                Load load = storefront(tenants, rate, seconds);
                double drainSeconds = Double.NaN;
                Lag all = new Lag(0, Double.NaN, Double.NaN, Double.NaN);
                Lag live = all;
                if (tenants.hooked()) {
                    if (!drained(drainTimeout)) {
                        log("round %d%s: events still undelivered %d s after the round", pair, kind, drainTimeout);
                    }
                    List<Double> allLags = new ArrayList<>();
                    List<Double> liveLags = new ArrayList<>();
                    Instant lastBacklog = start;
                    for (WebhookReceiver.Arrival arrival : receiver.arrivals()) {
                        // This round's events: its burst's and those created during it. The rounds before had
                        // drained before its burst began, and (a) rounds send nothing.
                        if (arrival.eventAt().isBefore(burstStart)) {
                            continue;
                        }
                        allLags.add(arrival.lagMs());
                        roundLags.add(arrival.lagMs());
                        if (arrival.eventAt().isBefore(start)) {
                            if (arrival.arrivedAt().isAfter(lastBacklog)) {
                                lastBacklog = arrival.arrivedAt();
                            }
                        } else {
                            liveLags.add(arrival.lagMs());
                        }
                    }
                    all = Lag.of(allLags);
                    live = Lag.of(liveLags);
                    drainSeconds = Duration.between(start, lastBacklog).toMillis() / 1000.0;
                }
                Round round = new Round(pair, kind, load.shopperCreates, load.created, load.failures, load.statuses,
                        load.p50, load.p99, load.max, pending, drainSeconds, all, live);
                rounds.add(round);
                for (String line : load.series.split("\n")) {
                    series.append(pair).append('\t').append(kind).append('\t').append(line).append('\n');
                }
                String loadAverage = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
                tsv.append(String.format(Locale.ROOT, "%d\t%s\t%d\t%d\t%d\t%.2f\t%.2f\t%.2f\t%d\t%.1f\t%.0f\t%.0f\t%.0f"
                        + "\t%.0f\t%.0f\t%.0f\t%s\t%s%n", pair, kind, load.shopperCreates, load.created, load.failures,
                        load.p50, load.p99, load.max, pending, drainSeconds, all.p50, all.p99, all.max, live.p50,
                        live.p99, live.max, load.statuses.toString().replace(" ", ""), loadAverage));
                log("round %d%s: create p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d shopper creates, %d failures%s; "
                        + "load average %s", pair, kind, load.p50, load.p99, load.max, load.shopperCreates,
                        load.failures, tenants.hooked() ? String.format(Locale.ROOT, "; backlog at start %d, drained "
                        + "%.1f s into the round, lag p50/p99/max (events) all %s, created during the round %s",
                        pending, drainSeconds, all.text(), live.text()) : "", loadAverage);
                Thread.sleep(settle * 1000L);
            }
        }
        receiver.delay(0);
        boolean drained = drained(drainTimeout);
        Files.writeString(Path.of(out + ".tsv"), tsv);
        Files.writeString(Path.of(out + "-creates.tsv"), series);
        return report(args, out, rounds, receiver, drained, rate, seconds, backlog, receiverDelay);
    }

    private boolean report(Args args, Path out, List<Round> rounds, WebhookReceiver receiver, boolean drained,
            double rate, int seconds, int backlog, long receiverDelay) throws Exception {
        List<Double> a = rounds.stream().filter(r -> r.kind.equals("a")).map(r -> r.p99).toList();
        List<Double> b = rounds.stream().filter(r -> r.kind.equals("b")).map(r -> r.p99).toList();
        List<Double> aP50 = rounds.stream().filter(r -> r.kind.equals("a")).map(r -> r.p50).toList();
        List<Double> bP50 = rounds.stream().filter(r -> r.kind.equals("b")).map(r -> r.p50).toList();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            ratios.add(b.get(i) / a.get(i));
        }
        double medA = Stats.median(a);
        double medB = Stats.median(b);
        double noise = a.size() < 2 ? Double.NaN
                : (a.stream().mapToDouble(d -> d).max().orElseThrow() - a.stream().mapToDouble(d -> d).min()
                        .orElseThrow()) / medA;
        boolean withinNoise = !Double.isNaN(noise) && medB <= medA * (1 + noise);
        Lag lagAll = Lag.of(roundLags);
        Lag liveMedian = new Lag(
                rounds.stream().filter(r -> r.kind.equals("b")).mapToInt(r -> r.live.events).sum(),
                Stats.median(rounds.stream().filter(r -> r.kind.equals("b")).map(r -> r.live.p50).toList()),
                Stats.median(rounds.stream().filter(r -> r.kind.equals("b")).map(r -> r.live.p99).toList()),
                rounds.stream().filter(r -> r.kind.equals("b")).mapToDouble(r -> r.live.max).max().orElse(Double.NaN));
        Lag roundMedian = new Lag(
                rounds.stream().filter(r -> r.kind.equals("b")).mapToInt(r -> r.all.events).sum(),
                Stats.median(rounds.stream().filter(r -> r.kind.equals("b")).map(r -> r.all.p50).toList()),
                Stats.median(rounds.stream().filter(r -> r.kind.equals("b")).map(r -> r.all.p99).toList()),
                rounds.stream().filter(r -> r.kind.equals("b")).mapToDouble(r -> r.all.max).max().orElse(Double.NaN));

        // Accounting: every subscription's summary adds up, everything delivered, the receiver saw each event.
        long created = 0;
        long delivered = 0;
        long unfinished = 0;
        long dead = 0;
        long cancelled = 0;
        StringBuilder summaries = new StringBuilder();
        for (String id : subscriptions) {
            Map<String, Long> s = summary(id);
            created += s.get("created");
            delivered += s.get("delivered");
            unfinished += s.get("pending") + s.get("retrying");
            dead += s.get("dead");
            cancelled += s.get("cancelled");
            summaries.append(id).append(' ').append(s).append('\n');
        }
        long distinct = receiver.arrivals().size();
        boolean accounted = drained && created == delivered && unfinished == 0 && dead == 0 && cancelled == 0
                && created == hookedOrders.get() && distinct == created && receiver.malformed() == 0;
        int failures = rounds.stream().mapToInt(r -> r.failures).sum();

        String props = String.format(Locale.ROOT, """
                rate=%.0f
                seconds=%d
                pairs=%d
                backlog=%d
                receiver_delay_ms=%d
                p99_a_ms=%s
                p99_b_ms=%s
                p50_a_ms=%s
                p50_b_ms=%s
                median_p99_a_ms=%.2f
                median_p99_b_ms=%.2f
                median_p50_a_ms=%.2f
                median_p50_b_ms=%.2f
                pair_ratios_p99=%s
                median_pair_ratio_p99=%.3f
                noise=%.3f
                within_noise=%s
                backlog_at_start=%s
                drain_s=%s
                lag_round_p50_ms_median=%.0f
                lag_round_p99_ms_median=%.0f
                lag_live_p50_ms_median=%.0f
                lag_live_p99_ms_median=%.0f
                lag_max_ms=%.0f
                lag_all_events_p50_ms=%.0f
                lag_all_events_p99_ms=%.0f
                lag_all_events_max_ms=%.0f
                orders_with_subscription=%d
                deliveries_created=%d
                deliveries_delivered=%d
                deliveries_pending_or_retrying=%d
                deliveries_dead=%d
                deliveries_cancelled=%d
                receiver_distinct_events=%d
                receiver_requests=%d
                receiver_duplicates=%d
                receiver_malformed=%d
                failed_requests=%d
                accounted=%s
                """, rate, seconds, rounds.size() / 2, backlog, receiverDelay, fmt(a), fmt(b), fmt(aP50), fmt(bP50),
                medA, medB, Stats.median(aP50), Stats.median(bP50), fmt(ratios), Stats.median(ratios), noise,
                withinNoise,
                rounds.stream().filter(r -> r.kind.equals("b")).map(r -> String.valueOf(r.backlogAtStart)).toList(),
                fmt(rounds.stream().filter(r -> r.kind.equals("b")).map(r -> r.drainSeconds).toList()),
                roundMedian.p50, roundMedian.p99, liveMedian.p50, liveMedian.p99, roundMedian.max, lagAll.p50,
                lagAll.p99, lagAll.max, hookedOrders.get(), created, delivered, unfinished, dead, cancelled, distinct,
                receiver.requests(), receiver.duplicates(), receiver.malformed(), failures, accounted);
        Files.writeString(Path.of(out + ".properties"), props);

        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "The storefront mix at %.0f arrivals/s (90%% shoppers, 10%% staff test "
                + "orders), %d s rounds, interleaved a b a b: (a) dispensaries without a subscription, (b) every "
                + "shopper's order fans out an `order.created` to a receiver on loopback, with a backlog of at least "
                + "%d events pending when the round starts (receiver: 204 after %d ms). Both kinds follow the same "
                + "burst of %d creates (8 in flight, sent again on a 503) and the same pause. Create-order latency is counted from when each create was "
                + "due (open model). On 2 cores the generator, the receiver (one JVM), the service and PostgreSQL "
                + "share the CPU.%n%n", rate, seconds, backlog, receiverDelay, backlog + 50));
        md.append("| pair | round | shopper creates | failures | create p50 | create p99 | create max | "
                + "backlog at start | drained after | lag p50 / p99 / max (events), round | lag, created during it |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Round r : rounds) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %d | %d | %.1f ms | %.1f ms | %.1f ms | %s | %s | %s | %s |%n",
                    r.pair, r.kind, r.shopperCreates, r.failures, r.p50, r.p99, r.max,
                    r.kind.equals("b") ? String.valueOf(r.backlogAtStart) : "-",
                    r.kind.equals("b") ? String.format(Locale.ROOT, "%.1f s", r.drainSeconds) : "-",
                    r.all.text(), r.live.text()));
        }
        md.append(String.format(Locale.ROOT, "%nCreate p99, median of rounds: (a) %.1f ms, (b) %.1f ms (%.2fx); "
                + "p50 (a) %.1f ms, (b) %.1f ms. Ratio b/a within each pair: %s, median %.2f. Noise, the spread of "
                + "the (a) rounds' p99 ((max - min) / median): %.0f%%. (b) %s.%n%n", medA, medB, medB / medA,
                Stats.median(aP50), Stats.median(bP50), fmt(ratios), Stats.median(ratios), noise * 100,
                withinNoise ? "is within that noise" : "is **not** within that noise"));
        md.append(String.format(Locale.ROOT, "Delivery lag (receiver's arrival minus the event's timestamp), "
                + "medians over the (b) rounds: p50 %.0f ms, p99 %.0f ms, over each round's events (its backlog "
                + "included); p50 %.0f ms, p99 %.0f ms over the events created during the rounds (they queue behind "
                + "the backlog); the largest %.0f ms.%n%n", roundMedian.p50, roundMedian.p99, liveMedian.p50,
                liveMedian.p99, roundMedian.max));
        md.append(String.format(Locale.ROOT, "Accounting at the end: %d shopper orders on the subscribed "
                + "dispensaries, summaries created %d, delivered %d, pending + retrying %d, dead %d, cancelled %d; the "
                + "receiver saw %d distinct webhook-ids in %d requests (%d repeats). %s%n%n```%n%s```%n",
                hookedOrders.get(), created, delivered, unfinished, dead, cancelled, distinct, receiver.requests(),
                receiver.duplicates(), accounted ? "Every event delivered." : "**Not every event accounted for.**",
                summaries));
        Files.writeString(Path.of(out + ".md"), md);
        System.out.print(props);
        return accounted;
    }

    private static String fmt(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList().toString().replace(" ", "");
    }

    // --- the load -----------------------------------------------------------------------------------------------

    /** What one round of the storefront mix gave. */
    record Load(int shopperCreates, int created, int failures, Map<Integer, Integer> statuses, double p50,
            double p99, double max, String series) {
    }

    /** The storefront mix on these dispensaries, {@code rate} arrivals per second for {@code seconds}. */
    private Load storefront(Tenants tenants, double rate, int seconds) throws InterruptedException {
        int n = (int) Math.round(rate * seconds);
        long interval = (long) (1e9 / rate);
        long[] latency = new long[n];
        boolean[] shopper = new boolean[n];
        AtomicInteger created = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        // Every request of every arrival: the create, the read, the list.
        AtomicInteger open = new AtomicInteger();
        long start = System.nanoTime() + 20_000_000;
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            // 9 shoppers for each staff test order, as the Gatling scenario.
            boolean isShopper = i % 10 != 9;
            shopper[i] = isShopper;
            int tenant = random.nextInt(tenants.dispensaries().length);
            String dispensary = tenants.dispensaries()[tenant];
            String key = isShopper ? tenants.keys()[tenant] : internalKey;
            boolean delivery = random.nextInt(4) == 0;
            String body = ORDER.formatted(dispensary, isShopper ? "" : " \"test\": true,",
                    random.nextInt(5) == 0 ? "MEDICAL" : "RECREATIONAL", delivery ? "DELIVERY" : "PICKUP",
                    delivery ? ADDRESS : "", 1 + random.nextInt(3));
            Map<String, String> auth = Map.of("Authorization", "Bearer " + key, "Accept", "application/json");
            Map<String, String> headers = Map.of("Authorization", "Bearer " + key, "Accept", "application/json",
                    "Content-Type", "application/json", "Idempotency-Key", UUID.randomUUID().toString());
            int index = i;
            open.incrementAndGet();
            http.post(target, "/orders", headers, body, (code, response, replayed, error) -> {
                latency[index] = System.nanoTime() - due;
                statuses.merge(code, 1, Integer::sum);
                if (code != 201) {
                    failures.incrementAndGet();
                    open.decrementAndGet();
                    return;
                }
                created.incrementAndGet();
                if (isShopper && tenants.hooked()) {
                    hookedOrders.incrementAndGet();
                }
                Matcher number = ORDER_NUMBER.matcher(response);
                if (!number.find()) {
                    failures.incrementAndGet();
                    open.decrementAndGet();
                    return;
                }
                http.get(target, "/orders/" + number.group(1), auth, (getCode, b, r, e) -> {
                    if (getCode != 200) {
                        failures.incrementAndGet();
                    }
                    String list = isShopper
                            ? (ThreadLocalRandom.current().nextInt(10) < 3 ? "/orders?limit=20" : null)
                            : "/orders?dispensaryId=" + dispensary + "&test=true&limit=20";
                    if (list == null) {
                        open.decrementAndGet();
                        return;
                    }
                    http.get(target, list, auth, (listCode, lb, lr, le) -> {
                        if (listCode != 200) {
                            failures.incrementAndGet();
                        }
                        open.decrementAndGet();
                    });
                });
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (open.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long[] shopperLatency = new long[n];
        int count = 0;
        int shopperCreates = 0;
        // Each shopper's create: when it was due (ms into the round, and wall clock) and its latency, so a slow
        // stretch can be placed against the service's GC log.
        StringBuilder series = new StringBuilder();
        long wallStart = System.currentTimeMillis() - (System.nanoTime() - start) / 1_000_000;
        for (int i = 0; i < n; i++) {
            if (shopper[i]) {
                shopperCreates++;
                // One never answered counts as the longest wait seen.
                shopperLatency[count++] = latency[i] == 0 ? System.nanoTime() - (start + i * interval) : latency[i];
                series.append(String.format(Locale.ROOT, "%d\t%d\t%.2f%n", i * interval / 1_000_000,
                        wallStart + i * interval / 1_000_000, shopperLatency[count - 1] / 1e6));
            }
        }
        return new Load(shopperCreates, created.get(), failures.get(), new java.util.TreeMap<>(statuses),
                Stats.percentileMs(shopperLatency, count, 50), Stats.percentileMs(shopperLatency, count, 99),
                Stats.percentileMs(shopperLatency, count, 100), series.toString());
    }

    /**
     * {@code count} shoppers' creates, round-robin over the dispensaries, as fast as the service takes them: a
     * closed loop of {@code concurrency} in flight, so a busy machine slows the burst instead of shedding it, and a
     * create that is not a 201 (a 503 when the service sheds) is sent again with its Idempotency-Key.
     */
    private void burst(Tenants tenants, int count, int concurrency) throws InterruptedException {
        burstStart = Instant.now();
        CountDownLatch done = new CountDownLatch(count);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger retries = new AtomicInteger();
        for (int i = 0; i < Math.min(concurrency, count); i++) {
            burstNext(tenants, count, next, retries, done);
        }
        if (!done.await(300, TimeUnit.SECONDS)) {
            log("burst: %d of %d creates not done within 300 s", done.getCount(), count);
        }
        if (retries.get() > 0) {
            log("burst: %d creates, %d sent again after an answer other than 201", count, retries.get());
        }
    }

    private void burstNext(Tenants tenants, int count, AtomicInteger next, AtomicInteger retries,
            CountDownLatch done) {
        int i = next.getAndIncrement();
        if (i >= count) {
            return;
        }
        int tenant = i % tenants.dispensaries().length;
        Map<String, String> headers = Map.of("Authorization", "Bearer " + tenants.keys()[tenant],
                "Content-Type", "application/json", "Idempotency-Key", UUID.randomUUID().toString());
        burstSend(tenants, headers, OrderBody.flowerAndEdible(tenants.dispensaries()[tenant]), 0, () -> {
            done.countDown();
            burstNext(tenants, count, next, retries, done);
        }, retries);
    }

    private void burstSend(Tenants tenants, Map<String, String> headers, String body, int attempt, Runnable then,
            AtomicInteger retries) {
        http.post(target, "/orders", headers, body, (code, response, replayed, error) -> {
            if (code == 201) {
                if (tenants.hooked()) {
                    hookedOrders.incrementAndGet();
                }
                then.run();
            } else if (attempt < 50) {
                retries.incrementAndGet();
                retry.schedule(() -> burstSend(tenants, headers, body, attempt + 1, then, retries), 200,
                        TimeUnit.MILLISECONDS);
            } else {
                log("burst: a create gave up after 50 attempts (last %d)", code);
                then.run();
            }
        });
    }

    // --- the admin API --------------------------------------------------------------------------------------------

    private String subscribe(String dispensary, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = admin.send(adminRequest("/admin/webhooks")
                .POST(HttpRequest.BodyPublishers.ofString("{\"dispensaryId\": \"" + dispensary + "\", \"url\": \""
                        + url + "\", \"events\": [\"order.created\", \"order.status_changed\"], \"includeTest\": false}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        Matcher id = ID.matcher(response.body());
        if (response.statusCode() != 201 || !id.find()) {
            throw new IllegalStateException("POST /admin/webhooks answered " + response.statusCode() + ": "
                    + response.body());
        }
        return id.group(1);
    }

    private Map<String, Long> summary(String id) throws IOException, InterruptedException {
        HttpResponse<String> response = admin.send(adminRequest("/admin/webhooks/" + id + "/deliveries/summary")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("summary of " + id + " answered " + response.statusCode());
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        Matcher m = COUNT.matcher(response.body());
        while (m.find()) {
            counts.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return counts;
    }

    /** Pending and retrying deliveries over every subscription. */
    private long unfinished() throws IOException, InterruptedException {
        long sum = 0;
        for (String id : subscriptions) {
            Map<String, Long> s = summary(id);
            sum += s.get("pending") + s.get("retrying");
        }
        return sum;
    }

    /** Waits (bounded) until no delivery is pending or retrying. */
    private boolean drained(int timeoutSeconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (unfinished() == 0) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    private HttpRequest.Builder adminRequest(String path) {
        return HttpRequest.newBuilder(URI.create(target + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + adminToken);
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[webhooks %s] %s%n", Instant.now().toString().substring(11, 19),
                String.format(Locale.ROOT, format, args));
    }
}
