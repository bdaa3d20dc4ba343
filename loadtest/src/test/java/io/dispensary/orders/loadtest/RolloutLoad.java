package io.dispensary.orders.loadtest;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a pod's first storefront traffic sees: waits for a service that is starting to turn ready, then at once
 * offers creates at a fixed rate (open model, each timed from when it was due), each read back with a GET as
 * the storefront does, and keeps that rate up until the JIT has settled.
 *
 * <p>Compared: p50 and p99 of the first {@code --first} creates (and their reads) after ready against the last
 * {@code --steady} of the same run, after {@code --warm-seconds} more at the same rate. The same process, the
 * same rate and the same database on both sides, so the ratio says what the cold start costs, not what the
 * machine did that minute.
 *
 * <pre>
 * RolloutLoad --target=http://localhost:19280 --ready=http://localhost:19290/q/health/ready --t0-file=SERVICE.t0
 *             --keys=K1,K2 --dispensaries=D1,D2 --rate=50 --first=500 --warm-seconds=120 --steady=3000
 *             --label=on-1 --out=DIR/rollout-on-1
 * </pre>
 *
 * Start it before the service: its own JVM start then does not share the CPU with the start it times. It
 * warms its own code first ({@code --client-warmup} exchanges, 4,000 by default, against a stand-in on loopback)
 * and then writes {@code --warm-file}, for the suite to start the service only then.
 * {@code --t0-file} holds the service's exec time (epoch ns, {@code date +%s%N}), read once ready.
 * Writes {@code OUT.properties} (the figures) and {@code OUT-first.tsv} (each of the first creates: its due
 * time after ready, its latency and its read's).
 */
public final class RolloutLoad {

    private static final Pattern ORDER_NUMBER = Pattern.compile("\"orderNumber\"\\s*:\\s*\"([0-9]+)\"");

    private RolloutLoad() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String target = args.get("target");
        String ready = args.get("ready");
        Path t0File = Path.of(args.get("t0-file"));
        String[] keys = args.get("keys").split(",");
        String[] dispensaries = args.get("dispensaries").split(",");
        double rate = args.getDouble("rate", 50);
        int first = args.getInt("first", 500);
        int warmSeconds = args.getInt("warm-seconds", 120);
        int steady = args.getInt("steady", 3000);
        String label = args.get("label");
        Path out = Path.of(args.get("out"));
        if (keys.length != dispensaries.length) {
            throw new IllegalArgumentException("one key per dispensary");
        }

        NettyHttp http = new NettyHttp(Duration.ofSeconds(10));
        // Its own code warm before the service starts: the first 500 creates are to time the service's cold
        // start, not this generator's (its sockets, callbacks and parsing ran interpreted until this was added).
        warmItself(http, args.getInt("client-warmup", 4000), keys[0], dispensaries[0]);
        String warmFile = args.get("warm-file", "");
        if (!warmFile.isEmpty()) {
            Files.writeString(Path.of(warmFile), "warm\n");
        }
        URI readyUri = new URI(ready);
        long readyEpochNs = awaitReady(http, readyUri, Duration.ofSeconds(120));
        long t0 = Long.parseLong(Files.readString(t0File).trim());
        long readyNano = System.nanoTime();
        long readyMs = (readyEpochNs - t0) / 1_000_000;

        int warm = (int) Math.round(warmSeconds * rate);
        int total = first + warm + steady;
        long interval = (long) (1e9 / rate);
        long[] createNs = new long[total];
        long[] getNs = new long[total];
        long[] dueOffsetNs = new long[total];
        Arrays.fill(createNs, -1);
        Arrays.fill(getNs, -1);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);

        for (int i = 0; i < total; i++) {
            long due = readyNano + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int tenant = i % keys.length;
            int index = i;
            dueOffsetNs[i] = due - readyNano;
            createAndRead(http, target, keys[tenant], dispensaries[tenant], due, new Outcome() {
                @Override
                public void created(int code, long nanos) {
                    createNs[index] = nanos;
                    statuses.merge(code, 1, Integer::sum);
                }

                @Override
                public void read(int code, long nanos) {
                    getNs[index] = nanos;
                    statuses.merge(code == 200 ? 2000 : code, 1, Integer::sum);
                }

                @Override
                public void ended(boolean ok) {
                    if (!ok) {
                        failures.incrementAndGet();
                    }
                    done.countDown();
                }
            });
        }
        boolean drained = done.await(30, TimeUnit.SECONDS);

        Window firstCreates = Window.of(createNs, 0, first);
        Window firstGets = Window.of(getNs, 0, first);
        Window steadyCreates = Window.of(createNs, total - steady, total);
        Window steadyGets = Window.of(getNs, total - steady, total);
        Map<String, Object> figures = new TreeMap<>();
        figures.put("label", label);
        figures.put("ready_ms", readyMs);
        figures.put("rate", rate);
        figures.put("first", first);
        figures.put("warm_seconds", warmSeconds);
        figures.put("steady", steady);
        firstCreates.put(figures, "first_create");
        firstGets.put(figures, "first_get");
        steadyCreates.put(figures, "steady_create");
        steadyGets.put(figures, "steady_get");
        figures.put("create_p99_ratio", String.format("%.2f", firstCreates.p99 / steadyCreates.p99));
        figures.put("create_p50_ratio", String.format("%.2f", firstCreates.p50 / steadyCreates.p50));
        figures.put("get_p99_ratio", String.format("%.2f", firstGets.p99 / steadyGets.p99));
        figures.put("get_p50_ratio", String.format("%.2f", firstGets.p50 / steadyGets.p50));
        figures.put("failures", failures.get());
        figures.put("drained", drained);
        // 201 and 200 (reads, as 2000) are the answers wanted; anything else is a failure and named here.
        figures.put("statuses", new TreeMap<>(statuses).toString().replace(" ", ""));
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(out + ".properties")))) {
            figures.forEach((k, v) -> w.println(k + "=" + v));
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(out + "-first.tsv")))) {
            w.println("i\tdue_after_ready_ms\tcreate_ms\tget_ms");
            for (int i = 0; i < first; i++) {
                w.printf("%d\t%.1f\t%.2f\t%.2f%n", i, dueOffsetNs[i] / 1e6, createNs[i] / 1e6, getNs[i] / 1e6);
            }
        }
        System.out.printf(
                "%s: ready in %d ms; first %d creates p50 %.1f p99 %.1f max %.1f ms, gets p50 %.1f p99 %.1f ms;"
                        + " steady (last %d) creates p50 %.1f p99 %.1f ms, gets p50 %.1f p99 %.1f ms;"
                        + " create p99 ratio %.2f, get p99 ratio %.2f; failures %d %s%n",
                label, readyMs, first, firstCreates.p50, firstCreates.p99, firstCreates.max, firstGets.p50,
                firstGets.p99, steady, steadyCreates.p50, steadyCreates.p99, steadyGets.p50, steadyGets.p99,
                firstCreates.p99 / steadyCreates.p99, firstGets.p99 / steadyGets.p99, failures.get(),
                figures.get("statuses"));
        System.exit(failures.get() == 0 && drained ? 0 : 1);
    }

    /** What became of one create and its read. */
    interface Outcome {
        void created(int code, long nanos);

        void read(int code, long nanos);

        /** Once per exchange: ok when the create answered 201 with a number and its read 200. */
        void ended(boolean ok);
    }

    /**
     * One storefront exchange, the measured one and the generator's own warm-up alike: a create (timed from
     * {@code due}) and, once it answers 201, a GET of its number.
     */
    private static void createAndRead(
            NettyHttp http, String target, String key, String dispensary, long due, Outcome outcome) {
        String auth = "Bearer " + key;
        Map<String, String> headers = Map.of("Authorization", auth, "Accept", "application/json",
                "Content-Type", "application/json", "Idempotency-Key", UUID.randomUUID().toString());
        http.post(target, "/orders", headers, OrderBody.flowerAndEdible(dispensary), (code, body, replayed, error) -> {
            outcome.created(code, System.nanoTime() - due);
            Matcher number = code == 201 ? ORDER_NUMBER.matcher(body) : null;
            if (number == null || !number.find()) {
                outcome.ended(false);
                return;
            }
            long sent = System.nanoTime();
            http.get(target, "/orders/" + number.group(1), Map.of("Authorization", auth, "Accept", "application/json"),
                    (getCode, b, r, e) -> {
                        outcome.read(getCode, System.nanoTime() - sent);
                        outcome.ended(getCode == 200);
                    });
        });
    }

    /**
     * Runs {@code count} exchanges through {@link #createAndRead} against a stand-in on loopback (the JDK's HTTP
     * server answering a create with 201 and a body of the service's size, a read with 200), 4 at a time, so the
     * generator's sockets, event loop, callbacks and parsing are compiled before it times anything.
     */
    private static void warmItself(NettyHttp http, int count, String key, String dispensary) throws Exception {
        if (count <= 0) {
            return;
        }
        byte[] created = ("{\"orderNumber\":\"012345678\",\"status\":\"PENDING\",\"padding\":\""
                + "x".repeat(900) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] order = ("{\"orderNumber\":\"012345678\",\"padding\":\"" + "x".repeat(900) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        HttpServer standIn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        standIn.setExecutor(threads);
        standIn.createContext("/orders", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                boolean create = "POST".equals(exchange.getRequestMethod());
                byte[] answer = create ? created : order;
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(create ? 201 : 200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        standIn.start();
        try {
            String target = "http://127.0.0.1:" + standIn.getAddress().getPort();
            Semaphore inFlight = new Semaphore(4);
            CountDownLatch done = new CountDownLatch(count);
            AtomicInteger failed = new AtomicInteger();
            for (int i = 0; i < count; i++) {
                inFlight.acquire();
                createAndRead(http, target, key, dispensary, System.nanoTime(), new Outcome() {
                    @Override
                    public void created(int code, long nanos) {}

                    @Override
                    public void read(int code, long nanos) {}

                    @Override
                    public void ended(boolean ok) {
                        if (!ok) {
                            failed.incrementAndGet();
                        }
                        inFlight.release();
                        done.countDown();
                    }
                });
            }
            if (!done.await(60, TimeUnit.SECONDS) || failed.get() > 0) {
                throw new IllegalStateException("the generator's own warm-up failed (" + failed + " failed)");
            }
        } finally {
            standIn.stop(0);
            threads.shutdownNow();
        }
    }

    /**
     * The wall-clock time (epoch ns) of the first 200 from the readiness URL, polled every 50 ms (as the suite's start-up step polls) with a 2 s
     * timeout per poll.
     */
    private static long awaitReady(NettyHttp http, URI ready, Duration limit) throws InterruptedException {
        String base = ready.getScheme() + "://" + ready.getHost() + ":" + ready.getPort();
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            CountDownLatch answered = new CountDownLatch(1);
            int[] status = {-1};
            http.get(base, ready.getPath(), Map.of(), (code, body, replayed, error) -> {
                status[0] = code;
                answered.countDown();
            });
            answered.await(2, TimeUnit.SECONDS);
            if (status[0] == 200) {
                Instant now = Instant.now();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("not ready within " + limit);
    }

    /** p50, p99 and max (ms) of the answered requests in [from, to), and how many had no answer. */
    private record Window(double p50, double p99, double max, int answered) {

        static Window of(long[] nanos, int from, int to) {
            long[] answered = Arrays.stream(nanos, from, to).filter(n -> n >= 0).toArray();
            return new Window(Stats.percentileMs(answered, answered.length, 50),
                    Stats.percentileMs(answered, answered.length, 99),
                    Stats.percentileMs(answered, answered.length, 100), answered.length);
        }

        void put(Map<String, Object> figures, String prefix) {
            figures.put(prefix + "_p50_ms", String.format("%.2f", p50));
            figures.put(prefix + "_p99_ms", String.format("%.2f", p99));
            figures.put(prefix + "_max_ms", String.format("%.2f", max));
            figures.put(prefix + "_answered", answered);
        }
    }
}
