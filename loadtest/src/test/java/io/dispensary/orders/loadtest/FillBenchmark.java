package io.dispensary.orders.loadtest;

import io.dispensary.orders.ordernumber.Namespace;
import io.dispensary.orders.ordernumber.OrderNumberCodec;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.postgresql.PGConnection;

/**
 * The cost of creating an order as the 6-digit number space fills up, side by side:
 *
 * <ul>
 *   <li><b>ff1-jdbc</b>: the service's number path at the JDBC level: {@code nextval('order_number_seq')}, the
 *       service's own FF1 codec, INSERT into {@code customer_order}, COMMIT.</li>
 *   <li><b>ff1-empty</b>: the same path on {@code ff1_empty_order}, a table of the same shape with its own
 *       sequence, kept at 0% fill; each ff1-jdbc order is paired with one here, in alternating order, so the
 *       "at 99.9% against at 0%" ratio is taken between orders a few milliseconds apart. Levels measured minutes
 *       apart differ by the host's noise: on the shared 2-core machine the p99 of one level moved 10x between
 *       rounds.</li>
 *   <li><b>baseline-jdbc</b>: what the incident did: a random 6-digit number, {@code SELECT} whether it exists,
 *       retry until free, then the same INSERT into {@code baseline_order}, a table of the same shape (columns,
 *       indexes, constraints, foreign key), on the same connection.</li>
 *   <li><b>service-http</b>: the real service (started with 6 digits on this database), POST /orders over HTTP,
 *       one at a time; its round trips are counted through {@link RoundTripProxy} on a second instance.</li>
 * </ul>
 *
 * Both tables really hold fill x 10^6 rows (the baseline's numbers a random subset, filled with
 * generate_series; customer_order the FF1 numbers of sequence values 0..k-1, copied in), and the sequence is
 * set to k. Measured orders are removed again (the baseline's right after each order, untimed, so its fill
 * stays exact; the FF1 path's after each batch, with the sequence set back), so every level is measured at its
 * fill. One client, one order at a time: this measures the cost of one order, not throughput.
 */
public final class FillBenchmark {

    private static final int SPACE = 1_000_000;
    private static final long FILLER_ID_BASE = 2_000_000_000_000L;
    private static final long MEASURED_ID_BASE = 3_000_000_000_000L;
    private static final String COLUMNS = "id, order_number, test, sequence_value, number_digits, dispensary_id, "
            + "status, fulfillment, customer_name, customer_phone, customer_email, customer_birth_date, customer_type, "
            + "total_cents, created_at, updated_at, version";
    private static final String VALUES = "?, ?, false, ?, 6, ?, 'PENDING', 'PICKUP', 'Ada Lovelace', '+14155550123', "
            + "'ada@example.com', DATE '1990-12-10', 'RECREATIONAL', 8899, now(), now(), 0";

    private final Connection db;
    /** A second connection and thread, so the baseline's table fills while the FF1 one does. */
    private final Connection fillDb;
    private final ExecutorService filler = Executors.newSingleThreadExecutor(task -> {
        // Not the common pool: on 2 cores it has one thread, which the FF1 encoding's parallel stream needs.
        Thread thread = new Thread(task, "baseline-fill");
        thread.setDaemon(true);
        return thread;
    });
    private final OrderNumberCodec codec;
    private final String dispensary;
    private final String serviceUrl;
    private final String countingUrl;
    private final int proxyControlPort;
    private final String apiKey;
    private final String orderBody;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private long nextId = MEASURED_ID_BASE;
    private long ff1Filled;
    private long baselineFilled;

    private FillBenchmark(Args args) throws SQLException {
        this.db = DriverManager.getConnection(args.get("jdbc"), args.get("user", "orders"), args.get("password", "orders"));
        this.fillDb = DriverManager.getConnection(args.get("jdbc"), args.get("user", "orders"),
                args.get("password", "orders"));
        this.codec = new OrderNumberCodec(OrderNumberCodec.parseKey(args.get("key")), 6, true);
        this.dispensary = args.get("dispensary");
        this.serviceUrl = args.get("service", "");
        this.countingUrl = args.get("counting-service", "");
        this.proxyControlPort = args.getInt("proxy-control", 0);
        this.apiKey = args.get("api-key", "");
        this.orderBody = OrderBody.flower(dispensary);
    }

    /** One measured series at one level in one round. */
    record Result(String series, double fill, int round, int orders, double p50, double p99, double mean,
            double roundTrips) {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        FillBenchmark bench = new FillBenchmark(args);
        List<Double> levels = new ArrayList<>();
        for (String level : args.get("levels", "0,50,90,99,99.9").split(",")) {
            levels.add(Double.parseDouble(level));
        }
        int samples = args.getInt("samples", 500);
        int baselineSamples = args.getInt("baseline-samples", samples);
        int serviceSamples = args.getInt("service-samples", samples);
        int rounds = args.getInt("rounds", 3);
        int warmup = args.getInt("warmup", 300);
        long settleMillis = args.getInt("settle-seconds", 5) * 1000L;
        Path out = Path.of(args.get("out"));
        Files.createDirectories(out);
        long prepareStart = System.nanoTime();
        bench.prepare();
        System.out.printf(Locale.ROOT, "prepared the tables (%.1f s)%n", (System.nanoTime() - prepareStart) / 1e9);
        long warmupStart = System.nanoTime();
        bench.warmUp(warmup);
        System.out.printf(Locale.ROOT, "warmed up: %d orders per series (%.1f s)%n", warmup,
                (System.nanoTime() - warmupStart) / 1e9);
        List<Result> results = new ArrayList<>();
        for (double level : levels) {
            long k = Math.round(level / 100.0 * SPACE);
            long start = System.nanoTime();
            bench.fillTo(k);
            System.out.printf(Locale.ROOT, "fill %s%%: %,d rows in each table (%.1f s)%n", level, k,
                    (System.nanoTime() - start) / 1e9);
            if (k > 0) {
                // Let the writes of the bulk fill reach the disk before measuring, for both series alike.
                Thread.sleep(settleMillis);
            }
            long measureStart = System.nanoTime();
            for (int round = 1; round <= rounds; round++) {
                List<Result> these = new ArrayList<>(bench.ff1Jdbc(level, round, k, samples));
                these.add(bench.baselineJdbc(level, round, baselineSamples));
                if (!bench.serviceUrl.isEmpty()) {
                    these.add(bench.serviceHttp(level, round, k, serviceSamples));
                }
                results.addAll(these);
                for (Result r : these) {
                    System.out.printf(Locale.ROOT, "  %-14s fill %5s%% round %d: p50 %9.3f ms  p99 %9.3f ms  "
                            + "round trips/order %8.1f  (%d orders)%n", r.series, r.fill, r.round, r.p50, r.p99,
                            r.roundTrips, r.orders);
                }
            }
            System.out.printf(Locale.ROOT, "  measured in %.1f s%n", (System.nanoTime() - measureStart) / 1e9);
        }
        bench.write(results, levels, out);
    }

    private void prepare() throws SQLException {
        db.setAutoCommit(true);
        try (Statement s = db.createStatement()) {
            s.execute("DROP TABLE IF EXISTS baseline_order, baseline_fill");
            // The same shape as the service's table: columns, defaults, checks, indexes (the UNIQUE one too) ...
            s.execute("CREATE TABLE baseline_order (LIKE customer_order INCLUDING ALL)");
            // ... and the foreign key, which LIKE leaves out.
            s.execute("ALTER TABLE baseline_order ADD CONSTRAINT baseline_order_dispensary_fk "
                    + "FOREIGN KEY (dispensary_id) REFERENCES dispensary (id) NOT VALID");
            // Which numbers the baseline's table holds at each fill: a random order of the whole space.
            s.execute("CREATE TABLE baseline_fill AS SELECT n, (row_number() OVER (ORDER BY random()))::int - 1 AS rank "
                    + "FROM generate_series(0, " + (SPACE - 1) + ") n");
            s.execute("CREATE INDEX ON baseline_fill (rank)");
            // The FF1 path's paired reference: the same table shape and sequence, kept at 0% fill, measured
            // order for order alongside the filled one, so both see the same moment of a noisy host.
            s.execute("DROP TABLE IF EXISTS ff1_empty_order");
            s.execute("DROP SEQUENCE IF EXISTS ff1_empty_seq");
            s.execute("CREATE TABLE ff1_empty_order (LIKE customer_order INCLUDING ALL)");
            s.execute("ALTER TABLE ff1_empty_order ADD CONSTRAINT ff1_empty_order_dispensary_fk "
                    + "FOREIGN KEY (dispensary_id) REFERENCES dispensary (id) NOT VALID");
            s.execute("CREATE SEQUENCE ff1_empty_seq MINVALUE 0 START 0 MAXVALUE " + (SPACE - 1) + " NO CYCLE");
            // Start from an empty FF1 space: the service was started on a fresh database and issued nothing yet.
            s.execute("DELETE FROM customer_order WHERE NOT test");
            s.execute("SELECT setval('order_number_seq', 0, false)");
        }
        ff1Filled = 0;
        baselineFilled = 0;
    }

    private void warmUp(int orders) throws Exception {
        if (orders <= 0) {
            return;
        }
        ff1Jdbc(0, 0, 0, orders);
        baselineJdbc(0, 0, orders);
        if (!serviceUrl.isEmpty()) {
            serviceHttp(0, 0, 0, orders);
        }
    }

    private void fillTo(long k) throws SQLException, IOException {
        db.setAutoCommit(true);
        // The foreign keys would check each filler row one by one: take them off for the bulk fill and put them
        // back as the migration has them (NOT VALID: existing rows unchecked, every new row checked).
        try (Statement s = db.createStatement()) {
            s.execute("ALTER TABLE customer_order DROP CONSTRAINT customer_order_dispensary_fk");
            s.execute("ALTER TABLE baseline_order DROP CONSTRAINT baseline_order_dispensary_fk");
        }
        long t0 = System.nanoTime();
        // The two tables fill at once, on two connections: the baseline's is all PostgreSQL's work, the FF1
        // one's mostly this JVM's (encoding and COPY), so together they take little more than the longer one.
        long from = baselineFilled;
        CompletableFuture<Long> baseline = CompletableFuture.supplyAsync(() -> {
            if (k > from) {
                try (PreparedStatement s = fillDb.prepareStatement("INSERT INTO baseline_order (" + COLUMNS + ") "
                        + "SELECT " + FILLER_ID_BASE + " + " + from + " + row_number() OVER (ORDER BY n), "
                        + "lpad(n::text, 6, '0'), false, n, 6, ?, 'PENDING', 'PICKUP', "
                        + "'Ada Lovelace', '+14155550123', 'ada@example.com', DATE '1990-12-10', 'RECREATIONAL', 8899, "
                        + "now(), now(), 0 FROM baseline_fill WHERE rank >= ? AND rank < ? ORDER BY n")) {
                    s.setString(1, dispensary);
                    s.setLong(2, from);
                    s.setLong(3, k);
                    s.executeUpdate();
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            }
            return System.nanoTime();
        }, filler);
        if (k > ff1Filled) {
            // The FF1 numbers the service would have issued for sequence values ff1Filled..k-1, copied in.
            // In number order, so the unique index is built by appending rather than by random inserts: each
            // 7-character number (6 FF1 digits + Damm) and its sequence value packed in one long, then sorted.
            long[] packed = java.util.stream.LongStream.range(ff1Filled, k).parallel()
                    .map(v -> Long.parseLong(number(v)) << 24 | v).sorted().toArray();
            StringBuilder rows = new StringBuilder(packed.length * 160);
            long id = FILLER_ID_BASE + ff1Filled;
            for (long p : packed) {
                long v = p & 0xFFFFFF;
                String number = String.format("%07d", p >>> 24);
                rows.append(id++).append('\t').append(number).append("\tf\t").append(v)
                        .append("\t6\t").append(dispensary).append("\tPENDING\tPICKUP\tAda Lovelace\t+14155550123\t"
                                + "ada@example.com\t1990-12-10\tRECREATIONAL\t8899\t2026-01-01 00:00:00+00\t"
                                + "2026-01-01 00:00:00+00\t0\n");
            }
            db.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY customer_order (" + COLUMNS + ") FROM STDIN", new StringReader(rows.toString()));
            ff1Filled = k;
        }
        long t2 = System.nanoTime();
        long t1;
        try {
            t1 = baseline.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw e;
        }
        baselineFilled = Math.max(baselineFilled, k);
        System.out.printf(Locale.ROOT, "  filled at once: baseline %.1f s, FF1 %.1f s%n", (t1 - t0) / 1e9,
                (t2 - t0) / 1e9);
        try (Statement s = db.createStatement()) {
            s.execute("ALTER TABLE customer_order ADD CONSTRAINT customer_order_dispensary_fk "
                    + "FOREIGN KEY (dispensary_id) REFERENCES dispensary (id) NOT VALID");
            s.execute("ALTER TABLE baseline_order ADD CONSTRAINT baseline_order_dispensary_fk "
                    + "FOREIGN KEY (dispensary_id) REFERENCES dispensary (id) NOT VALID");
            s.execute("SELECT setval('order_number_seq', " + k + ", false)");
            s.execute("ANALYZE customer_order");
            s.execute("ANALYZE baseline_order");
            s.execute("CHECKPOINT");
        } catch (SQLException e) {
            // CHECKPOINT needs rights the orders role may lack; it only evens out the levels.
            if (!"42501".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /**
     * The service's path: one nextval, FF1, one INSERT, COMMIT. Each order on the table filled to {@code fill} is
     * paired with one on the empty reference table, in alternating order, so the ratio of the two is measured
     * under the same host noise: "ff1-jdbc" and "ff1-empty". Batches stay under the space left at 99.9%.
     */
    private List<Result> ff1Jdbc(double fill, int round, long k, int orders) throws SQLException {
        long[] filled = new long[orders];
        long[] empty = new long[orders];
        db.setAutoCommit(false);
        try (PreparedStatement next = db.prepareStatement("SELECT nextval('order_number_seq')");
                PreparedStatement insert = db.prepareStatement(
                        "INSERT INTO customer_order (" + COLUMNS + ") VALUES (" + VALUES + ")");
                PreparedStatement nextEmpty = db.prepareStatement("SELECT nextval('ff1_empty_seq')");
                PreparedStatement insertEmpty = db.prepareStatement(
                        "INSERT INTO ff1_empty_order (" + COLUMNS + ") VALUES (" + VALUES + ")")) {
            int done = 0;
            while (done < orders) {
                int batch = Math.min(500, orders - done);
                for (int i = 0; i < batch; i++) {
                    if ((done + i) % 2 == 0) {
                        filled[done + i] = ff1Order(next, insert);
                        empty[done + i] = ff1Order(nextEmpty, insertEmpty);
                    } else {
                        empty[done + i] = ff1Order(nextEmpty, insertEmpty);
                        filled[done + i] = ff1Order(next, insert);
                    }
                }
                done += batch;
                resetFf1(k);
            }
        }
        return List.of(result("ff1-jdbc", fill, round, filled, 3L * orders),
                result("ff1-empty", fill, round, empty, 3L * orders));
    }

    /** One FF1 order: nextval, encode, INSERT, COMMIT (3 round trips); its time in nanoseconds. */
    private long ff1Order(PreparedStatement next, PreparedStatement insert) throws SQLException {
        long t0 = System.nanoTime();
        long value;
        try (ResultSet row = next.executeQuery()) {
            row.next();
            value = row.getLong(1);
        }
        insert.setLong(1, nextId++);
        insert.setString(2, number(value));
        insert.setLong(3, value);
        insert.setString(4, dispensary);
        insert.executeUpdate();
        db.commit();
        return System.nanoTime() - t0;
    }

    /** The incident's path: random number, SELECT, retry while taken, INSERT, COMMIT. */
    private Result baselineJdbc(double fill, int round, int orders) throws SQLException {
        long[] nanos = new long[orders];
        long roundTrips = 0;
        db.setAutoCommit(false);
        try (PreparedStatement exists = db.prepareStatement("SELECT 1 FROM baseline_order WHERE order_number = ?");
                PreparedStatement insert = db.prepareStatement(
                        "INSERT INTO baseline_order (" + COLUMNS + ") VALUES (" + VALUES + ")");
                PreparedStatement delete = db.prepareStatement("DELETE FROM baseline_order WHERE id = ?")) {
            for (int i = 0; i < orders; i++) {
                long t0 = System.nanoTime();
                String number;
                int value;
                while (true) {
                    value = ThreadLocalRandom.current().nextInt(SPACE);
                    number = String.format("%06d", value);
                    exists.setString(1, number);
                    roundTrips++;
                    try (ResultSet row = exists.executeQuery()) {
                        if (!row.next()) {
                            break;
                        }
                    }
                }
                long id = nextId++;
                insert.setLong(1, id);
                insert.setString(2, number);
                insert.setLong(3, value);
                insert.setString(4, dispensary);
                insert.executeUpdate();
                db.commit();
                nanos[i] = System.nanoTime() - t0;
                roundTrips += 2;
                // Untimed: take the order out again, so the fill stays exactly at its level.
                delete.setLong(1, id);
                delete.executeUpdate();
                db.commit();
            }
        }
        return result("baseline-jdbc", fill, round, nanos, roundTrips);
    }

    /** The real service over HTTP, one order at a time; round trips counted on the proxied second instance. */
    private Result serviceHttp(double fill, int round, long k, int orders) throws Exception {
        long[] nanos = new long[orders];
        int done = 0;
        while (done < orders) {
            int batch = Math.min(400, orders - done);
            for (int i = 0; i < batch; i++) {
                long t0 = System.nanoTime();
                post(serviceUrl);
                nanos[done + i] = System.nanoTime() - t0;
            }
            done += batch;
            resetFf1(k);
        }
        double roundTrips = Double.NaN;
        if (!countingUrl.isEmpty() && proxyControlPort > 0) {
            int counted = Math.min(50, orders);
            long before = RoundTripProxy.read(proxyControlPort);
            for (int i = 0; i < counted; i++) {
                post(countingUrl);
            }
            roundTrips = (RoundTripProxy.read(proxyControlPort) - before) / (double) counted;
            resetFf1(k);
        }
        Result r = result("service-http", fill, round, nanos, 0);
        return new Result(r.series, r.fill, r.round, r.orders, r.p50, r.p99, r.mean, roundTrips);
    }

    private void post(String base) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/orders"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(orderBody))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST /orders answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** Removes the orders measured above level k and sets the sequence back to k; empties the reference. */
    private void resetFf1(long k) throws SQLException {
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(true);
        try (PreparedStatement s = db.prepareStatement("DELETE FROM customer_order WHERE NOT test AND sequence_value >= ?");
                Statement seq = db.createStatement()) {
            s.setLong(1, k);
            s.executeUpdate();
            seq.execute("SELECT setval('order_number_seq', " + k + ", false)");
            seq.execute("DELETE FROM ff1_empty_order");
            seq.execute("SELECT setval('ff1_empty_seq', 0, false)");
        }
        db.setAutoCommit(autoCommit);
    }

    private static Result result(String series, double fill, int round, long[] nanos, long roundTrips) {
        int n = nanos.length;
        return new Result(series, fill, round, n, Stats.percentileMs(nanos, n, 50), Stats.percentileMs(nanos, n, 99),
                Stats.meanMs(nanos, n), n == 0 ? Double.NaN : roundTrips / (double) n);
    }

    private void write(List<Result> results, List<Double> levels, Path out) throws IOException {
        StringBuilder tsv = new StringBuilder("series\tfill_percent\tround\torders\tp50_ms\tp99_ms\tmean_ms\t"
                + "round_trips_per_order\n");
        for (Result r : results) {
            tsv.append(String.format(Locale.ROOT, "%s\t%s\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.2f%n", r.series, r.fill, r.round,
                    r.orders, r.p50, r.p99, r.mean, r.roundTrips));
        }
        Files.writeString(out.resolve("fill-runs.tsv"), tsv);

        Map<String, double[][]> medians = new LinkedHashMap<>();
        for (String series : List.of("ff1-jdbc", "ff1-empty", "baseline-jdbc", "service-http")) {
            double[][] m = new double[levels.size()][];
            boolean any = false;
            for (int i = 0; i < levels.size(); i++) {
                double level = levels.get(i);
                List<Result> at = results.stream().filter(r -> r.series.equals(series) && r.fill == level).toList();
                if (!at.isEmpty()) {
                    any = true;
                    m[i] = new double[] {
                        Stats.median(at.stream().map(Result::p50).toList()),
                        Stats.median(at.stream().map(Result::p99).toList()),
                        Stats.median(at.stream().map(Result::roundTrips).toList()),
                        at.stream().mapToInt(Result::orders).sum()};
                }
            }
            if (any) {
                medians.put(series, m);
            }
        }
        StringBuilder table = new StringBuilder("series\tfill_percent\tp50_ms\tp99_ms\tround_trips_per_order\torders\n");
        StringBuilder md = new StringBuilder("| fill | " + String.join(" | ", medians.keySet().stream()
                .map(s -> s + " p50 / p99 (ms) | " + s + " round trips").toList()) + " |\n|---|");
        md.append("---|---|".repeat(medians.size())).append('\n');
        for (int i = 0; i < levels.size(); i++) {
            md.append("| ").append(levels.get(i)).append("% |");
            for (Map.Entry<String, double[][]> e : medians.entrySet()) {
                double[] m = e.getValue()[i];
                table.append(String.format(Locale.ROOT, "%s\t%s\t%.3f\t%.3f\t%.2f\t%.0f%n", e.getKey(), levels.get(i),
                        m[0], m[1], m[2], m[3]));
                md.append(String.format(Locale.ROOT, " %s / %s | %s |", ms(m[0]), ms(m[1]),
                        Double.isNaN(m[2]) ? "n/a" : String.format(Locale.ROOT, "%.1f", m[2])));
            }
            md.append('\n');
        }
        Files.writeString(out.resolve("fill.tsv"), table);
        Files.writeString(out.resolve("fill.md"), md);

        String[] categories = levels.stream().map(l -> l + "%").toArray(String[]::new);
        SvgChart chart = new SvgChart("Create-order p99 against fill of a 6-digit number space",
                "fill of the number space", "p99 latency (ms, log scale)", categories);
        Map<String, String> colors = Map.of("baseline-jdbc", "#d62728", "ff1-jdbc", "#1f77b4", "ff1-empty", "#9ecae1",
                "service-http", "#2ca02c");
        Map<String, String> names = Map.of("baseline-jdbc", "random + exists? + retry (JDBC)",
                "ff1-jdbc", "FF1 path (JDBC)", "ff1-empty", "FF1 path, paired 0% reference (JDBC)",
                "service-http", "FF1, whole service (HTTP)");
        for (Map.Entry<String, double[][]> e : medians.entrySet()) {
            double[] p99 = new double[levels.size()];
            for (int i = 0; i < levels.size(); i++) {
                p99[i] = e.getValue()[i][1];
            }
            chart.add(names.get(e.getKey()), colors.get(e.getKey()), p99);
        }
        Files.writeString(out.resolve("fill-p99.svg"), chart.render());
        System.out.print(md);
    }

    private static String ms(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** The production order number of a sequence value, as the service issues it. */
    private String number(long sequenceValue) {
        return codec.encode(Namespace.PRODUCTION, sequenceValue).text();
    }
}
