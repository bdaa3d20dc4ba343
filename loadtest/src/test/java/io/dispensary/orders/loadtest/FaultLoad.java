package io.dispensary.orders.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault suite's load: storefront clients that create orders while a fault is injected, and retry like a
 * well-behaved storefront. Each of {@code --clients} threads paces its share of {@code --rate} creates/s; each
 * logical order has its own Idempotency-Key, and a failed attempt (no answer, 5xx, 409 key in flight) is sent
 * again with the same key and body after Retry-After (1 s when absent), until a 201 or until its retry budget
 * (30 s from the first attempt) is spent. A client busy retrying skips the slots it missed instead of bursting
 * to catch up (a shopper at a stuck checkout does not place the orders of the shoppers behind her), so this is
 * a paced closed loop: during an outage the offered rate falls to what 48 patient clients send.
 *
 * <p>Client timeouts are long (30 s) so a hang is measured as a hang. With several targets (instances), client
 * {@code i} starts on target {@code i mod n} and moves to the next one when an attempt gets no answer.
 * Readiness ({@code --health}) is polled every 250 ms with a 1 s timeout (a Kubernetes probe's default).
 *
 * <p>Runs until {@code --stop-file} appears (or {@code --max-seconds}), then sends no new orders and lets the
 * orders in flight finish their retries, for at most {@code --drain-seconds}. Writes, in {@code --out}:
 * {@code answers.tsv} (every attempt), {@code orders.tsv} (every logical order) and {@code health.tsv}; all
 * times are epoch milliseconds, so the scripts' fault events line up with them.
 */
public final class FaultLoad {

    private static final Pattern ORDER_NUMBER = Pattern.compile("\"orderNumber\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PROBLEM_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]+)\"");

    /** One HTTP attempt: when it was sent, how long until the answer (or the error), what came back. */
    record Answer(long sentMs, long latencyMicros, int status, String detail, int target, long order, int attempt,
            boolean replayed) {
    }

    /** One logical order (one Idempotency-Key). outcome: acked, gave-up, rejected, unfinished. */
    record Order(long index, String key, long firstSentMs, long doneMs, String outcome, String number,
            int attempts, int lastStatus) {
    }

    record Probe(long sentMs, int target, int status, long latencyMs) {
    }

    private final List<String> targets;
    private final List<String> health;
    private final String apiKey;
    private final String body;
    private final int clients;
    private final double rate;
    private final long budgetNanos;
    private final Duration timeout;
    private final Path stopFile;
    private final long maxNanos;
    private final long drainNanos;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http;
    private final HttpClient probeHttp;
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Order> orders = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Probe> probes = new ConcurrentLinkedQueue<>();
    private final AtomicLong nextOrder = new AtomicLong();
    private final AtomicInteger skipped = new AtomicInteger();
    /** The order each client is working on, for the ones still unfinished when the drain ends. */
    private final Map<Integer, Order> current = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean stopping;
    /** When the latest 201 arrived (epoch ms), for the script's "load until 15 s after recovery". */
    private final AtomicLong last201 = new AtomicLong();

    private FaultLoad(Args args) {
        this.targets = List.of(args.get("targets").split(","));
        String h = args.get("health", "");
        this.health = h.isEmpty() ? List.of() : List.of(h.split(","));
        this.apiKey = args.get("api-key");
        this.body = OrderBody.flower(args.get("dispensary"));
        this.clients = args.getInt("clients", 48);
        this.rate = args.getDouble("rate", 150);
        this.budgetNanos = TimeUnit.SECONDS.toNanos(args.getInt("retry-budget-seconds", 30));
        this.timeout = Duration.ofSeconds(args.getInt("timeout-seconds", 30));
        this.stopFile = Path.of(args.get("stop-file"));
        this.maxNanos = TimeUnit.SECONDS.toNanos(args.getInt("max-seconds", 600));
        this.drainNanos = TimeUnit.SECONDS.toNanos(args.getInt("drain-seconds", 65));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(2, daemon("http")))
                .build();
        this.probeHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).executor(Executors.newFixedThreadPool(1, daemon("probe")))
                .build();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Path out = Path.of(args.get("out"));
        Files.createDirectories(out);
        FaultLoad load = new FaultLoad(args);
        load.run(out);
        System.exit(0);
    }

    private void run(Path out) throws Exception {
        ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(daemon("prober"));
        for (int t = 0; t < health.size(); t++) {
            int target = t;
            prober.scheduleAtFixedRate(() -> probe(target), 0, 250, TimeUnit.MILLISECONDS);
        }
        long start = System.nanoTime();
        long interval = (long) (clients / rate * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            long phase = interval * c / clients;
            Thread thread = new Thread(() -> client(client, start + phase, interval), "client-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        Path progress = out.resolve("last-201.ms");
        long written = 0;
        while (!Files.exists(stopFile) && System.nanoTime() - start < maxNanos) {
            Thread.sleep(100);
            long latest = last201.get();
            if (latest != written) {
                Path tmp = out.resolve("last-201.ms.tmp");
                Files.writeString(tmp, latest + "\n");
                Files.move(tmp, progress, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                written = latest;
            }
        }
        stopping = true;
        long sendEnd = System.currentTimeMillis();
        long drainDeadline = System.nanoTime() + drainNanos;
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(drainDeadline - System.nanoTime())));
        }
        prober.shutdownNow();
        List<Order> unfinished = new ArrayList<>(current.values());
        for (Order o : unfinished) {
            orders.add(new Order(o.index(), o.key(), o.firstSentMs(), System.currentTimeMillis(), "unfinished", "",
                    o.attempts(), o.lastStatus()));
        }
        write(out, sendEnd, unfinished.size());
    }

    private void client(int client, long first, long interval) {
        long next = first;
        int target = client % targets.size();
        while (!stopping) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (stopping) {
                break;
            }
            target = order(client, target);
            next += interval;
            long now = System.nanoTime();
            while (next < now) {
                next += interval;
                skipped.incrementAndGet();
            }
        }
    }

    /** One logical order, with its retries; returns the target the client ends on. */
    private int order(int client, int target) {
        long index = nextOrder.getAndIncrement();
        String key = "fault-" + runId + "-" + index;
        long firstNanos = System.nanoTime();
        long firstMs = System.currentTimeMillis();
        int attempt = 0;
        int last = 0;
        while (true) {
            attempt++;
            current.put(client, new Order(index, key, firstMs, 0, "unfinished", "", attempt, last));
            long sentMs = System.currentTimeMillis();
            long t0 = System.nanoTime();
            int status;
            String detail = "";
            String number = null;
            boolean replayed = false;
            long retryAfterMs = 1000;
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(targets.get(target) + "/orders"))
                        .timeout(timeout)
                        .header("Authorization", "Bearer " + apiKey)
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                String text = response.body() == null ? "" : response.body();
                if (status == 201) {
                    Matcher m = ORDER_NUMBER.matcher(text);
                    number = m.find() ? m.group(1) : "?";
                    replayed = response.headers().firstValue("Idempotent-Replayed").isPresent();
                } else {
                    Matcher m = PROBLEM_TYPE.matcher(text);
                    detail = m.find() ? m.group(1) : "";
                    Optional<String> after = response.headers().firstValue("Retry-After");
                    if (after.isPresent()) {
                        try {
                            retryAfterMs = Math.max(0, Long.parseLong(after.get().trim()) * 1000);
                        } catch (NumberFormatException e) {
                            retryAfterMs = 1000;
                        }
                    }
                }
            } catch (IOException e) {
                status = -1;
                detail = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = -1;
                detail = "interrupted";
            }
            long micros = (System.nanoTime() - t0) / 1000;
            answers.add(new Answer(sentMs, micros, status, detail, target, index, attempt, replayed));
            last = status;
            if (status == 201) {
                last201.accumulateAndGet(System.currentTimeMillis(), Math::max);
                current.remove(client);
                orders.add(new Order(index, key, firstMs, System.currentTimeMillis(), "acked", number, attempt, 201));
                return target;
            }
            boolean retryable = status < 0 || status >= 500 || status == 409;
            if (!retryable) {
                current.remove(client);
                orders.add(new Order(index, key, firstMs, System.currentTimeMillis(), "rejected", "", attempt, status));
                return target;
            }
            if (status < 0 && targets.size() > 1) {
                target = (target + 1) % targets.size();
            }
            long resume = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryAfterMs);
            if (resume - firstNanos > budgetNanos) {
                current.remove(client);
                orders.add(new Order(index, key, firstMs, System.currentTimeMillis(), "gave-up", "", attempt, status));
                return target;
            }
            LockSupport.parkNanos(resume - System.nanoTime());
        }
    }

    private void probe(int target) {
        long sentMs = System.currentTimeMillis();
        long t0 = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create(health.get(target))).timeout(Duration.ofSeconds(1))
                .GET().build();
        probeHttp.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            int status = error != null ? -1 : response.statusCode();
            probes.add(new Probe(sentMs, target, status, (System.nanoTime() - t0) / 1_000_000));
        });
    }

    private void write(Path out, long sendEnd, int unfinished) throws IOException {
        StringBuilder a = new StringBuilder("sent_ms\tlatency_us\tstatus\tdetail\ttarget\torder\tattempt\treplayed\n");
        answers.stream().sorted(java.util.Comparator.comparingLong(Answer::sentMs)).forEach(x -> a.append(
                String.format(Locale.ROOT, "%d\t%d\t%d\t%s\t%d\t%d\t%d\t%s%n", x.sentMs(), x.latencyMicros(),
                        x.status(), x.detail().isEmpty() ? "-" : x.detail(), x.target(), x.order(), x.attempt(),
                        x.replayed())));
        Files.writeString(out.resolve("answers.tsv"), a);
        StringBuilder o = new StringBuilder("order\tkey\tfirst_sent_ms\tdone_ms\toutcome\tnumber\tattempts\tlast_status\n");
        orders.stream().sorted(java.util.Comparator.comparingLong(Order::index)).forEach(x -> o.append(
                String.format(Locale.ROOT, "%d\t%s\t%d\t%d\t%s\t%s\t%d\t%d%n", x.index(), x.key(), x.firstSentMs(),
                        x.doneMs(), x.outcome(), x.number().isEmpty() ? "-" : x.number(), x.attempts(),
                        x.lastStatus())));
        Files.writeString(out.resolve("orders.tsv"), o);
        StringBuilder p = new StringBuilder("sent_ms\ttarget\tstatus\tlatency_ms\n");
        probes.stream().sorted(java.util.Comparator.comparingLong(Probe::sentMs)).forEach(x -> p.append(
                String.format(Locale.ROOT, "%d\t%d\t%d\t%d%n", x.sentMs(), x.target(), x.status(), x.latencyMs())));
        Files.writeString(out.resolve("health.tsv"), p);
        Map<String, Integer> outcomes = new TreeMap<>();
        orders.forEach(x -> outcomes.merge(x.outcome(), 1, Integer::sum));
        Map<Integer, Integer> statuses = new TreeMap<>();
        answers.forEach(x -> statuses.merge(x.status(), 1, Integer::sum));
        String summary = String.format(Locale.ROOT,
                "orders=%d outcomes=%s attempts=%d statuses=%s skipped_slots=%d unfinished=%d send_end_ms=%d%n",
                orders.size(), outcomes, answers.size(), statuses, skipped.get(), unfinished, sendEnd);
        Files.writeString(out.resolve("load-summary.txt"), summary);
        System.out.print(summary);
    }
}
