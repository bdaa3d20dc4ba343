package io.dispensary.orders.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An open-model create-order load: requests leave at a fixed rate whatever the service does, and each latency
 * is counted from the moment its request was due, not from when it was sent, so a stalled service (or a
 * starved generator) cannot hide its queueing (no coordinated omission). Plain Java on Netty's HTTP codec
 * ({@link NettyHttp}): one JVM walks through many rates in one run, with a verdict per step, which Gatling's
 * per-run assertions cannot give.
 *
 * <ul>
 *   <li>{@code --mode=search}: the highest rate with create-order p99 under the SLO and at most 0.1% failures,
 *       then a run at half that rate; samples the service's RSS from /proc.</li>
 *   <li>{@code --mode=multi}: a load spread over several instances sharing one database, some idempotency keys
 *       sent to two instances at once; then the database must hold exactly one order per new 201 and no
 *       order number twice.</li>
 * </ul>
 */
public final class OpenLoad {

    private static final Pattern ORDER_NUMBER = Pattern.compile("\"orderNumber\"\\s*:\\s*\"([^\"]+)\"");
    private static final int MAX_OUTSTANDING = 4000;

    private final Duration requestTimeout;
    private final NettyHttp http;
    private final List<String> targets;
    private final String apiKey;
    private final String body;
    private final double sloMs;
    private final double maxFailurePercent;
    private final long pid;
    private final AtomicLong rssMaxKb = new AtomicLong();
    /** Why requests got no answer (-1), by exception type. */
    private final java.util.Map<String, Integer> errors = new ConcurrentHashMap<>();

    private OpenLoad(Args args) {
        this.targets = List.of(args.get("targets").split(","));
        this.apiKey = args.get("api-key");
        this.sloMs = args.getDouble("slo-ms", 300);
        this.maxFailurePercent = args.getDouble("max-failure-percent", 0.1);
        this.pid = Long.parseLong(args.get("pid", "0"));
        // The multi-instance check needs every answer: a request the client gave up on may still commit.
        this.requestTimeout = Duration.ofSeconds(args.getInt("timeout-seconds", 10));
        this.http = new NettyHttp(requestTimeout);
        this.body = OrderBody.flowerAndEdible(args.get("dispensary"));
    }

    /** What one step at one rate gave. */
    record Step(String label, double rate, int seconds, int sent, int created, int newOrders, int replayed,
            java.util.Map<Integer, Integer> statuses, int conflicts,
            int failures, double p50, double p99, double max, double achieved, boolean pass, Set<String> numbers,
            java.util.Map<Integer, Integer> duplicateStatuses, long keysWithTwoNewOrders) {

        double failurePercent() {
            return sent == 0 ? 0 : 100.0 * failures / sent;
        }

        String tsv() {
            return String.format(Locale.ROOT, "%s\t%.1f\t%d\t%d\t%d\t%d\t%.3f\t%.2f\t%.2f\t%.2f\t%.1f\t%s\t%s", label,
                    rate, seconds, sent, created, failures, failurePercent(), p50, p99, max, achieved, pass,
                    statuses.toString().replace(" ", ""));
        }
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        OpenLoad load = new OpenLoad(args);
        Path out = Path.of(args.get("out"));
        Files.createDirectories(out.getParent() == null ? Path.of(".") : out.getParent());
        String mode = args.get("mode");
        if (mode.equals("search")) {
            load.search(args, out);
        } else if (mode.equals("multi")) {
            if (!load.multi(args, out)) {
                System.exit(1);
            }
        } else if (mode.equals("fixed")) {
            long cpu0 = processCpuNanos();
            long wall0 = System.nanoTime();
            Step step = load.run("fixed", args.getDouble("rate", 100), args.getInt("seconds", 10), 0);
            System.out.println(header());
            System.out.println(step.tsv());
            System.out.printf(Locale.ROOT, "generator_cpu_percent=%.0f%n",
                    100.0 * (processCpuNanos() - cpu0) / (System.nanoTime() - wall0));
        } else {
            throw new IllegalArgumentException("--mode=search|multi|fixed");
        }
        System.exit(0);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static String header() {
        return "step\trate_per_s\tseconds\tsent\tcreated\tfailures\tfailure_percent\tp50_ms\tp99_ms\tmax_ms\t"
                + "achieved_per_s\tpass\tstatuses(-1=no answer,-2=not sent)";
    }

    private void search(Args args, Path out) throws Exception {
        double rate = args.getDouble("start-rate", 100);
        double factor = args.getDouble("factor", 1.5);
        int seconds = args.getInt("step-seconds", 10);
        int bisections = args.getInt("bisections", 2);
        int maxSteps = args.getInt("max-steps", 12);
        int confirmSeconds = args.getInt("confirm-seconds", 0);
        int halfSeconds = args.getInt("half-seconds", seconds);
        int warmupSeconds = args.getInt("warmup-seconds", 10);
        Thread sampler = startRssSampler();
        List<Step> steps = new ArrayList<>();
        System.out.println(header());
        if (warmupSeconds > 0) {
            print(run("warmup", rate, warmupSeconds, 0), steps);
        }
        double pass = 0;
        double fail = 0;
        int count = 0;
        while (count++ < maxSteps) {
            Step step = print(run("search", rate, seconds, 0), steps);
            if (step.pass) {
                pass = rate;
                rate = Math.round(rate * factor);
            } else if (pass == 0 && rate > 20) {
                // Not even the first rate holds: search downwards (bounded by maxSteps).
                fail = rate;
                rate = Math.round(rate / 2);
            } else {
                fail = rate;
                break;
            }
            if (pass > 0 && fail > 0) {
                break;
            }
        }
        for (int i = 0; i < bisections && fail > 0 && pass > 0; i++) {
            double mid = Math.round((pass + fail) / 2);
            if (mid <= pass || mid >= fail) {
                break;
            }
            Step step = print(run("bisect", mid, seconds, 0), steps);
            if (step.pass) {
                pass = mid;
            } else {
                fail = mid;
            }
        }
        Step confirmed = null;
        if (confirmSeconds > 0 && pass > 0) {
            // The found rate must hold for longer; if it does not, step down by 10% (bounded).
            for (int i = 0; i < 4; i++) {
                confirmed = print(run("confirm", pass, confirmSeconds, 0), steps);
                if (confirmed.pass) {
                    break;
                }
                pass = Math.round(pass * 0.9);
            }
            if (!confirmed.pass) {
                pass = 0;
            }
        }
        if (pass > 0) {
            // The step before may have overloaded the service: let queues drain and the heap settle first.
            Thread.sleep(args.getInt("settle-seconds", 8) * 1000L);
        }
        Step half = pass > 0 ? print(run("half", Math.round(pass / 2), halfSeconds, 0), steps) : null;
        sampler.interrupt();
        StringBuilder tsv = new StringBuilder(header()).append('\n');
        steps.forEach(s -> tsv.append(s.tsv()).append('\n'));
        Files.writeString(Path.of(out + ".tsv"), tsv);
        double found = pass;
        Step best = steps.stream().filter(s -> s.pass && s.rate == found).reduce((a, b) -> b).orElse(null);
        String props = String.format(Locale.ROOT, """
                max_rate=%.0f
                max_rate_p99_ms=%.2f
                max_rate_achieved_per_s=%.1f
                max_rate_failure_percent=%.3f
                half_rate=%.0f
                half_rate_p99_ms=%.2f
                half_rate_p50_ms=%.2f
                rss_max_kb=%d
                """, pass, best == null ? Double.NaN : best.p99, best == null ? Double.NaN : best.achieved,
                best == null ? Double.NaN : best.failurePercent(), half == null ? 0 : half.rate,
                half == null ? Double.NaN : half.p99, half == null ? Double.NaN : half.p50, rssMaxKb.get());
        Files.writeString(Path.of(out + ".properties"), props);
        System.out.print(props);
    }

    private boolean multi(Args args, Path out) throws Exception {
        double rate = args.getDouble("rate", 200);
        int seconds = args.getInt("seconds", 10);
        double duplicateShare = args.getDouble("duplicate-share", 0.05);
        Step step = run("multi", rate, seconds, duplicateShare);
        System.out.println(header());
        System.out.println(step.tsv());
        long stored;
        long duplicates;
        long duplicateValues;
        long all;
        try (Connection db = DriverManager.getConnection(args.get("jdbc"), args.get("user", "orders"),
                args.get("password", "orders")); Statement s = db.createStatement()) {
            stored = count(s, "SELECT count(*) FROM customer_order WHERE NOT test AND dispensary_id = '"
                    + args.get("dispensary").replace("'", "''") + "'");
            all = count(s, "SELECT count(*) FROM customer_order");
            duplicates = count(s, "SELECT count(*) FROM (SELECT order_number FROM customer_order "
                    + "GROUP BY order_number HAVING count(*) > 1) d");
            duplicateValues = count(s, "SELECT count(*) FROM (SELECT sequence_value FROM customer_order WHERE NOT test "
                    + "GROUP BY number_digits, sequence_value HAVING count(*) > 1) d");
        }
        // Load shedding (503 overloaded) stores nothing by design and is not a clash; any other failure is, on the
        // first send of a key or on its duplicate (which must be a 201, new or replayed, or a 409 in flight).
        int serverErrors = step.failures - step.statuses.getOrDefault(503, 0);
        long duplicateFailures = step.duplicateStatuses.entrySet().stream()
                .filter(e -> e.getKey() != 201 && e.getKey() != 409 && e.getKey() != 503)
                .mapToLong(java.util.Map.Entry::getValue).sum();
        // Every new 201 (not a replay) is one stored order under a number no other 201 got, and no key made two.
        boolean ok = duplicates == 0 && duplicateValues == 0 && stored == step.newOrders
                && step.numbers.size() == step.newOrders && serverErrors == 0 && duplicateFailures == 0
                && step.keysWithTwoNewOrders == 0;
        String props = String.format(Locale.ROOT, """
                instances=%d
                rate=%.0f
                seconds=%d
                sent=%d
                responses_201=%d
                new_orders_201=%d
                replayed_201=%d
                conflicts_409=%d
                failures=%d
                statuses=%s
                duplicate_sends_answered=%s
                keys_with_two_new_orders=%d
                no_answer_because=%s
                distinct_numbers_in_201=%d
                stored_orders=%d
                all_orders_in_database=%d
                duplicate_order_numbers=%d
                duplicate_sequence_values=%d
                p99_ms=%.2f
                pass=%s
                """, targets.size(), rate, seconds, step.sent, step.created, step.newOrders, step.replayed, step.conflicts,
                step.failures, step.statuses, step.duplicateStatuses, step.keysWithTwoNewOrders, errors, step.numbers.size(),
                stored, all, duplicates, duplicateValues, step.p99, ok);
        Files.writeString(Path.of(out + ".properties"), props);
        System.out.print(props);
        return ok;
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private Step print(Step step, List<Step> steps) {
        steps.add(step);
        System.out.println(step.tsv());
        try {
            // Let queues drain and the JIT/GC settle between steps.
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return step;
    }

    /**
     * Sends {@code rate x seconds} creates, each at its due time, round-robin over the targets. With a duplicate
     * share, that share of the idempotency keys is also sent, at the same moment, to the next instance.
     */
    Step run(String label, double rate, int seconds, double duplicateShare) throws InterruptedException {
        int n = (int) Math.round(rate * seconds);
        long interval = (long) (1e9 / rate);
        long[] latency = new long[n];
        int[] status = new int[n];
        AtomicInteger outstanding = new AtomicInteger();
        AtomicInteger replayed = new AtomicInteger();
        AtomicInteger newOrders = new AtomicInteger();
        // New (not replayed) 201s per idempotency key: a key with two is a clash the database cannot see, since
        // each of its two orders has its own number and row.
        java.util.Map<String, Integer> newByKey = new ConcurrentHashMap<>();
        // The answers to the duplicated sends, which have no slot in status[].
        java.util.Map<Integer, Integer> duplicateStatuses = new ConcurrentHashMap<>();
        AtomicInteger conflicts = new AtomicInteger();
        Set<String> numbers = ConcurrentHashMap.newKeySet();
        CountDownLatch done = new CountDownLatch(n);
        long start = System.nanoTime() + 20_000_000;
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (outstanding.get() >= MAX_OUTSTANDING) {
                status[i] = -2;
                latency[i] = System.nanoTime() - due;
                done.countDown();
                continue;
            }
            String key = UUID.randomUUID().toString();
            String target = targets.get(i % targets.size());
            boolean duplicate = duplicateShare > 0 && targets.size() > 1
                    && (i * 7919L % 1000) < duplicateShare * 1000;
            send(target, key, i, due, latency, status, outstanding, newOrders, replayed, conflicts, numbers, newByKey,
                    duplicateStatuses, done);
            if (duplicate) {
                // The same key and body to another instance at once: one 201, the other a 409 or a replay.
                send(targets.get((i + 1) % targets.size()), key, -1, due, null, null, outstanding, newOrders,
                        replayed, conflicts, numbers, newByKey, duplicateStatuses, null);
            }
        }
        long sendEnd = System.nanoTime();
        if (!done.await(requestTimeout.toSeconds() + 30, TimeUnit.SECONDS)) {
            System.err.println("some requests did not finish within 30 s after the step");
        }
        // Wait for the duplicates too.
        long deadline = System.nanoTime() + requestTimeout.toNanos() + TimeUnit.SECONDS.toNanos(15);
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long end = System.nanoTime();
        int created = 0;
        int failures = 0;
        int sent = 0;
        long[] lat = new long[n];
        int measured = 0;
        java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (int i = 0; i < n; i++) {
            sent++;
            statuses.merge(status[i], 1, Integer::sum);
            if (status[i] == 201) {
                created++;
            } else if (status[i] == 409) {
                // counted apart: only duplicates can meet a key in flight
            } else {
                failures++;
                if (status[i] == 0) {
                    latency[i] = end - (start + i * interval);
                }
            }
            lat[measured++] = latency[i];
        }
        double p50 = Stats.percentileMs(lat, measured, 50);
        double p99 = Stats.percentileMs(lat, measured, 99);
        double max = Stats.percentileMs(lat, measured, 100);
        double achieved = created / ((Math.max(sendEnd, end) - start) / 1e9);
        boolean pass = p99 <= sloMs && 100.0 * failures / Math.max(1, sent) <= maxFailurePercent;
        return new Step(label, rate, seconds, sent, created, newOrders.get(), replayed.get(), statuses, conflicts.get(),
                failures, p50, p99, max, achieved, pass, numbers, new java.util.TreeMap<>(duplicateStatuses),
                newByKey.values().stream().filter(count -> count > 1).count());
    }

    private void send(String target, String key, int index, long due, long[] latency, int[] status,
            AtomicInteger outstanding, AtomicInteger newOrders, AtomicInteger replayed, AtomicInteger conflicts,
            Set<String> numbers, java.util.Map<String, Integer> newByKey,
            java.util.Map<Integer, Integer> duplicateStatuses, CountDownLatch done) {
        outstanding.incrementAndGet();
        java.util.Map<String, String> headers = java.util.Map.of("Authorization", "Bearer " + apiKey,
                "Content-Type", "application/json", "Idempotency-Key", key);
        http.post(target, "/orders", headers, body, (code, responseBody, isReplay, error) -> {
            long took = System.nanoTime() - due;
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                errors.merge(cause.getClass().getSimpleName(), 1, Integer::sum);
            }
            if (code == 201) {
                if (isReplay) {
                    replayed.incrementAndGet();
                } else {
                    newOrders.incrementAndGet();
                    newByKey.merge(key, 1, Integer::sum);
                    Matcher m = ORDER_NUMBER.matcher(responseBody);
                    if (m.find()) {
                        numbers.add(m.group(1));
                    }
                }
            } else if (code == 409) {
                conflicts.incrementAndGet();
            }
            if (index >= 0) {
                latency[index] = took;
                // A 409 on a duplicated key is expected, not a failure.
                status[index] = code == 409 ? 409 : code;
            } else {
                duplicateStatuses.merge(code, 1, Integer::sum);
            }
            outstanding.decrementAndGet();
            if (done != null) {
                done.countDown();
            }
        });
    }

    private Thread startRssSampler() {
        Thread thread = new Thread(() -> {
            if (pid <= 0) {
                return;
            }
            Path status = Path.of("/proc/" + pid + "/status");
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    for (String line : Files.readAllLines(status)) {
                        if (line.startsWith("VmRSS:")) {
                            long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                            rssMaxKb.accumulateAndGet(kb, Math::max);
                        }
                    }
                    Thread.sleep(250);
                } catch (IOException e) {
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
