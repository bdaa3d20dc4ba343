package io.dispensary.orders.loadtest;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what the suite's steps wrote and writes results.md: every figure, and each target met or missed. */
public final class Summary {

    private final Path dir;
    private final StringBuilder md = new StringBuilder();
    private final List<String[]> targets = new ArrayList<>();

    private Summary(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] argv) throws IOException {
        Args args = new Args(argv);
        Summary summary = new Summary(Path.of(args.get("dir")));
        summary.write(args.get("mode"), args.get("report", ""));
    }

    private void write(String mode, String report) throws IOException {
        md.append("# Load-test results (").append(mode).append(" mode)\n\n");
        md.append("## Machine\n\n```\n").append(read("machine.txt").strip()).append("\n```\n\n");

        // Start-up.
        List<Double> ready = new ArrayList<>();
        List<Double> started = new ArrayList<>();
        List<Double> noArchive = new ArrayList<>();
        md.append("## Start-up (JVM mode, prod profile, the jar with its class-data archive as bin/run starts it, warm-up off: the boot alone)\n\n"
                + "| instance | exec to first 200 on /q/health/ready | "
                + "Quarkus \"started in\" | alone or two at once |\n|---|---|---|---|\n");
        for (String line : read("startup.tsv").split("\n")) {
            String[] f = line.split("\t");
            if (f.length >= 4) {
                md.append("| ").append(f[0]).append(" | ").append(f[1]).append(" ms | ").append(f[2]).append(" s | ")
                        .append(f[3]).append(" |\n");
                // The target is about one instance starting; two starting at once on 2 cores share the CPU.
                if (f[3].equals("solo")) {
                    ready.add(Double.parseDouble(f[1]) / 1000);
                    if (!f[2].isEmpty()) {
                        started.add(Double.parseDouble(f[2]));
                    }
                } else if (f[3].equals("no-archive")) {
                    noArchive.add(Double.parseDouble(f[1]) / 1000);
                }
            }
        }
        double readyMedian = Stats.median(ready);
        md.append(String.format(Locale.ROOT, "\nMedian over %d starts alone: %.2f s to ready (Quarkus: %.2f s).\n\n",
                ready.size(), readyMedian, Stats.median(started)));
        if (!noArchive.isEmpty()) {
            md.append(String.format(Locale.ROOT, "The same jar without its class-data archive (reference, not counted): "
                    + "median %.2f s to ready over %d starts.%n%n", Stats.median(noArchive), noArchive.size()));
        }
        target("Start to ready at most 3 s (JVM mode; the boot alone, warm-up off)", String.format(Locale.ROOT, "median %.2f s over %d starts, max %.2f s",
                readyMedian, ready.size(), ready.stream().mapToDouble(d -> d).max().orElse(Double.NaN)), readyMedian <= 3);

        // Storefront.
        Properties storefront = props("storefront.properties");
        String gatling = read("gatling.log");
        md.append("## Storefront scenario (Gatling, open model)\n\n");
        md.append("Report: `").append(report.isEmpty() ? "?" : report).append("/index.html`\n\n");
        md.append(gatlingTable(report));
        md.append("\n```\n").append(read("storefront-stats.txt").strip()).append("\n```\n\n");
        boolean gatlingOk = "0".equals(storefront.getProperty("gatling_exit"));
        String p99Line = grep(gatling, "create order.*percentile.*");
        target("Storefront: create-order p99 < 300 ms, failures <= 0.1% (Gatling assertions)",
                p99Line.isEmpty() ? "exit " + storefront.getProperty("gatling_exit") : p99Line.strip(), gatlingOk);

        // Throughput.
        md.append("## Throughput: highest create-order rate within the SLO, next to pgbench\n\n");
        md.append("| round | max rate (creates/s) | p99 at max | pgbench TPS (same writes, same clients) | ratio | "
                + "half rate | p99 at half | RSS max |\n|---|---|---|---|---|---|---|---|\n");
        List<Double> ratios = new ArrayList<>();
        List<Double> halfP99 = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        List<Double> tpss = new ArrayList<>();
        long rssMax = readLong("rss-storefront.kb");
        for (int round = 1; Files.exists(dir.resolve("throughput-" + round + ".properties")); round++) {
            Properties t = props("throughput-" + round + ".properties");
            double rate = num(t, "max_rate");
            double tps = num(t, "pgbench_tps");
            double ratio = rate / tps;
            ratios.add(ratio);
            rates.add(rate);
            tpss.add(tps);
            halfP99.add(num(t, "half_rate_p99_ms"));
            rssMax = Math.max(rssMax, (long) num(t, "rss_max_kb"));
            md.append(String.format(Locale.ROOT, "| %d | %.0f | %.1f ms | %.0f (%s clients) | %.3f | %.0f | %.1f ms | %.0f MiB |%n",
                    round, rate, num(t, "max_rate_p99_ms"), tps, t.getProperty("pgbench_clients"), ratio,
                    num(t, "half_rate"), num(t, "half_rate_p99_ms"), num(t, "rss_max_kb") / 1024));
        }
        // A round without a figure (no rate found, pgbench failed) is a missing measurement, never a pass: the
        // median of the rest would quietly stand for three rounds.
        boolean everyRound = !ratios.isEmpty() && ratios.stream().noneMatch(value -> value.isNaN());
        boolean everyHalf = !halfP99.isEmpty() && halfP99.stream().noneMatch(value -> value.isNaN());
        double ratio = Stats.median(ratios);
        md.append(String.format(Locale.ROOT, "%nMedians: %.0f creates/s, pgbench %.0f TPS, ratio %.3f (each ratio "
                + "within one round).%n%n", Stats.median(rates), Stats.median(tpss), ratio));
        target("Throughput at least 0.3x pgbench (stretch 0.5x)", String.format(Locale.ROOT,
                "median ratio %.3f (%.0f creates/s vs %.0f TPS)%s", ratio, Stats.median(rates), Stats.median(tpss),
                everyRound ? "" : "; a round gave no figure"), everyRound && ratio >= 0.3);
        double half = Stats.median(halfP99);
        target("At half that rate, create-order p99 at most 50 ms", String.format(Locale.ROOT, "median p99 %.1f ms%s",
                half, everyHalf ? "" : "; a round gave no figure"), everyHalf && half <= 50);
        // VmRSS is in KiB. The "400 MB" is read as 400 MiB, the unit of the JVM's own -Xmx400m; both
        // units are printed, so a reader who means 10^6 bytes sees it.
        target("Service RSS under load at most 400 MB (read as MiB)", String.format(Locale.ROOT,
                "max VmRSS %.0f MiB (%.0f MB of 10^6 bytes)", rssMax / 1024.0, rssMax * 1024 / 1e6),
                rssMax <= 400 * 1024);

        // Fill.
        md.append("## Fill: cost of one create-order against the fill of a 6-digit space\n\n");
        md.append("Medians over rounds; one client, one order at a time. Chart: `fill-p99.svg`.\n\n");
        md.append(read("fill.md")).append('\n');
        Map<String, Map<Double, double[]>> fill = new HashMap<>();
        for (String line : read("fill.tsv").split("\n")) {
            String[] f = line.split("\t");
            if (f.length >= 5 && !f[0].equals("series")) {
                fill.computeIfAbsent(f[0], k -> new HashMap<>()).put(Double.parseDouble(f[1]),
                        new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4])});
            }
        }
        double ff1At0 = p99(fill, "ff1-jdbc", 0);
        double ff1At999 = p99(fill, "ff1-jdbc", 99.9);
        double baseAt999 = p99(fill, "baseline-jdbc", 99.9);
        double svcAt0 = p99(fill, "service-http", 0);
        double svcAt999 = p99(fill, "service-http", 99.9);
        // The verdict: p99 on the 99.9% table over p99 on the empty one, orders paired, per round; the median.
        List<Double> paired = new ArrayList<>();
        Map<Integer, double[]> rounds = new java.util.TreeMap<>();
        for (String line : read("fill-runs.tsv").split("\n")) {
            String[] f = line.split("\t");
            if (f.length >= 6 && !f[0].equals("series") && Double.parseDouble(f[1]) == 99.9) {
                double[] pair = rounds.computeIfAbsent(Integer.parseInt(f[2]), r -> new double[] {Double.NaN, Double.NaN});
                if (f[0].equals("ff1-jdbc")) {
                    pair[0] = Double.parseDouble(f[5]);
                } else if (f[0].equals("ff1-empty")) {
                    pair[1] = Double.parseDouble(f[5]);
                }
            }
        }
        rounds.values().stream().filter(p -> !Double.isNaN(p[0]) && !Double.isNaN(p[1]))
                .forEach(p -> paired.add(p[0] / p[1]));
        double pairedRatio = paired.isEmpty() ? Double.NaN : Stats.median(paired);
        target("FF1 path: p99 at 99.9% fill at most 1.2x p99 at 0%", String.format(Locale.ROOT,
                "paired with an empty table, per round %s, median **%.2fx**; levels measured minutes apart: JDBC "
                        + "%.3f / %.3f ms = %.2fx, whole service over HTTP %.3f / %.3f ms = %.2fx",
                paired.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList(), pairedRatio,
                ff1At999, ff1At0, ff1At999 / ff1At0, svcAt999, svcAt0, svcAt999 / svcAt0), pairedRatio <= 1.2);
        target("Baseline p99 at 99.9% at least 100x the FF1 path's", String.format(Locale.ROOT,
                "%.1f / %.3f ms = %.0fx (JDBC vs JDBC); vs whole service: %.0fx", baseAt999, ff1At999,
                baseAt999 / ff1At999, baseAt999 / svcAt999), baseAt999 >= 100 * ff1At999);

        // Multi.
        Properties multi = props("multi.properties");
        md.append("## Two instances, one database\n\n```\n").append(read("multi.properties").strip()).append("\n```\n\n");
        target("Multi-instance: zero duplicate numbers, stored orders = new 201s", String.format(Locale.ROOT,
                "%s new 201s, %s stored, %s duplicate numbers; answers %s",
                multi.getProperty("new_orders_201"), multi.getProperty("stored_orders"),
                multi.getProperty("duplicate_order_numbers"), multi.getProperty("statuses")),
                "true".equals(multi.getProperty("pass")));

        // Webhooks: only when the step ran.
        if (Files.exists(dir.resolve("webhooks.properties"))) {
            Properties hooks = props("webhooks.properties");
            md.append("## Webhooks: create-order while 1,000+ events drain\n\n").append(read("webhooks.md")).append('\n');
            target("Webhooks: every event delivered (summaries: created = delivered, 0 pending, retrying, dead)",
                    String.format(Locale.ROOT, "%s created, %s delivered, %s pending or retrying, %s dead; receiver: "
                                    + "%s distinct webhook-ids, %s repeats",
                            hooks.getProperty("deliveries_created"), hooks.getProperty("deliveries_delivered"),
                            hooks.getProperty("deliveries_pending_or_retrying"), hooks.getProperty("deliveries_dead"),
                            hooks.getProperty("receiver_distinct_events"), hooks.getProperty("receiver_duplicates")),
                    "true".equals(hooks.getProperty("accounted")));
            target("Webhooks: create p99 with 1,000+ events draining within the noise of rounds without",
                    String.format(Locale.ROOT, "median p99 (b) %.1f ms vs (a) %.1f ms, pair ratios %s (median %.2f), "
                                    + "noise %.0f%%; lag p50/p99 %.0f/%.0f ms",
                            num(hooks, "median_p99_b_ms"), num(hooks, "median_p99_a_ms"),
                            hooks.getProperty("pair_ratios_p99"), num(hooks, "median_pair_ratio_p99"),
                            num(hooks, "noise") * 100, num(hooks, "lag_round_p50_ms_median"),
                            num(hooks, "lag_round_p99_ms_median")),
                    "true".equals(hooks.getProperty("within_noise")));
        }

        closedLoop();
        compare();
        rollout();

        StringBuilder head = new StringBuilder("## Targets\n\n| target | measured | met |\n|---|---|---|\n");
        for (String[] t : targets) {
            head.append("| ").append(t[0]).append(" | ").append(t[1]).append(" | ").append(t[2]).append(" |\n");
        }
        String text = md.toString().replaceFirst("## Machine", head + "\n## Machine");
        Files.writeString(dir.resolve("results.md"), text);
        System.out.print(head);
    }

    /**
     * The closed-loop step, when it ran: wrk's create-orders per second against pgbench's TPS for the same writes,
     * and against the floor (loadtest/floor: the same stack parsing the same body and writing the same rows in one
     * statement), each round's ratios taken within the round, the target judged on their median. Runs before the
     * floor was measured have no floor figures; their rows say so.
     */
    private void closedLoop() throws IOException {
        Map<String, Properties> rounds = rounds("closed-[0-9]+\\.properties");
        if (rounds.isEmpty()) {
            return;
        }
        md.append("## Closed loop: wrk against create-order, pgbench and the floor beside it\n\n"
                + "| round | creates/s (wrk) | p50 / p99 | not 2xx | socket errors | pgbench TPS | ratio"
                + " | floor creates/s | floor p50 / p99 | service / floor | floor / pgbench |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<Double> ratios = new ArrayList<>();
        List<Double> ofFloor = new ArrayList<>();
        List<Double> floorOfPgbench = new ArrayList<>();
        long requests = 0;
        long failed = 0;
        for (Map.Entry<String, Properties> round : rounds.entrySet()) {
            Properties r = round.getValue();
            double ratio = num(r, "wrk_rps") / num(r, "pgbench_tps");
            ratios.add(ratio);
            requests += (long) num(r, "wrk_requests");
            failed += (long) num(r, "wrk_non_2xx");
            String floor = "| - | - | - | - |";
            if (r.getProperty("floor_rps") != null) {
                double service = num(r, "wrk_rps") / num(r, "floor_rps");
                double onPgbench = num(r, "floor_rps") / num(r, "pgbench_tps");
                ofFloor.add(service);
                floorOfPgbench.add(onPgbench);
                floor = String.format(Locale.ROOT, "| %s | %s / %s | %.3f | %.3f |", r.getProperty("floor_rps"),
                        r.getProperty("floor_p50"), r.getProperty("floor_p99"), service, onPgbench);
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %s / %s | %s | %s | %s | %.3f %s%n",
                    round.getKey().replaceAll("\\D", ""), r.getProperty("wrk_rps"),
                    r.getProperty("wrk_p50"), r.getProperty("wrk_p99"), r.getProperty("wrk_non_2xx"),
                    r.getProperty("wrk_socket_errors"), r.getProperty("pgbench_tps"), ratio, floor));
        }
        double median = Stats.median(ratios);
        double failedShare = requests == 0 ? 1 : (double) failed / requests;
        md.append(String.format(Locale.ROOT, "%nMedian ratio %.3f; %d of %d requests not 2xx.", median, failed,
                requests));
        if (!ofFloor.isEmpty()) {
            // The share of the service's time per create that is its own code, beyond what the stack needs for
            // the same body and rows: 1 - (service rate / floor rate).
            md.append(String.format(Locale.ROOT, " The service ran at a median %.3fx of the floor's rate (so %.0f%%"
                    + " of its time per create is its own code), and the floor at %.3fx of pgbench's.",
                    Stats.median(ofFloor), (1 - Stats.median(ofFloor)) * 100, Stats.median(floorOfPgbench)));
        }
        md.append("\n\n");
        target("Closed loop: create-order at least 0.5x pgbench's TPS (wrk), at most 0.1% not 2xx",
                String.format(Locale.ROOT, "median %.3fx over %d rounds; %.2f%% not 2xx", median, ratios.size(),
                        failedShare * 100),
                median >= 0.5 && failedShare <= 0.001);
    }

    /**
     * The compare step, when it ran: this build against another one in wrk's closed loop, in interleaved rounds,
     * each round's ratio taken within it. No target: it says whether a change to create-order's path moved its
     * throughput, and by how much beyond the spread of the rounds.
     */
    private void compare() throws IOException {
        Map<String, Properties> rounds = rounds("compare-[0-9]+\\.properties");
        if (rounds.isEmpty()) {
            return;
        }
        String base = rounds.values().iterator().next().getProperty("base");
        md.append("## Compare: this build against " + base + ", closed loop\n\n"
                + "| round | " + base + " creates/s | p50 / p99 | this build creates/s | p50 / p99 | ratio |\n"
                + "|---|---|---|---|---|---|\n");
        List<Double> ratios = new ArrayList<>();
        for (Map.Entry<String, Properties> round : rounds.entrySet()) {
            Properties r = round.getValue();
            double ratio = num(r, "head_rps") / num(r, "base_rps");
            ratios.add(ratio);
            md.append(String.format(Locale.ROOT, "| %s | %s | %s / %s | %s | %s / %s | %.3f |%n",
                    round.getKey().replaceAll("\\D", ""), r.getProperty("base_rps"), r.getProperty("base_p50"),
                    r.getProperty("base_p99"), r.getProperty("head_rps"), r.getProperty("head_p50"),
                    r.getProperty("head_p99"), ratio));
        }
        md.append(String.format(Locale.ROOT, "%nThis build ran at a median %.3fx of %s's rate (rounds %.3f to %.3f)."
                + "%n%n", Stats.median(ratios), base, ratios.stream().mapToDouble(d -> d).min().orElse(0),
                ratios.stream().mapToDouble(d -> d).max().orElse(0)));
    }

    /**
     * The rollout step, when it ran: each fresh start's first 500 creates (and their reads) against the same run's
     * steady state, with the warm-up off and on, and what the warm-up costs in start-to-ready.
     */
    private void rollout() throws IOException {
        Map<String, Properties> rounds = rounds("rollout-(on|off)-[0-9]+\\.properties");
        if (rounds.isEmpty()) {
            return;
        }
        md.append("## Rollout: a fresh instance's first 500 creates after ready against its steady state\n\n"
                + "| start | ready | first 500 creates p50 / p99 | steady creates p50 / p99 | create p99 ratio |"
                + " first reads p99 | steady reads p99 | read p99 ratio | failures |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        Map<String, List<Double>> ratios = new TreeMap<>();
        Map<String, List<Double>> readRatios = new TreeMap<>();
        Map<String, List<Double>> readyMs = new TreeMap<>();
        boolean failures = false;
        for (Properties r : rounds.values()) {
            String how = r.getProperty("label").replaceAll("-[0-9]+$", "");
            ratios.computeIfAbsent(how, k -> new ArrayList<>()).add(num(r, "create_p99_ratio"));
            readRatios.computeIfAbsent(how, k -> new ArrayList<>()).add(num(r, "get_p99_ratio"));
            readyMs.computeIfAbsent(how, k -> new ArrayList<>()).add(num(r, "ready_ms"));
            failures |= !"0".equals(r.getProperty("failures"));
            md.append(String.format(Locale.ROOT,
                    "| warm-up %s | %s ms | %s / %s ms | %s / %s ms | %s | %s ms | %s ms | %s | %s %s |%n",
                    r.getProperty("label"), r.getProperty("ready_ms"), r.getProperty("first_create_p50_ms"),
                    r.getProperty("first_create_p99_ms"), r.getProperty("steady_create_p50_ms"),
                    r.getProperty("steady_create_p99_ms"), r.getProperty("create_p99_ratio"),
                    r.getProperty("first_get_p99_ms"), r.getProperty("steady_get_p99_ms"),
                    r.getProperty("get_p99_ratio"), r.getProperty("failures"), r.getProperty("statuses")));
        }
        double on = Stats.median(ratios.getOrDefault("on", List.of()));
        double off = Stats.median(ratios.getOrDefault("off", List.of()));
        double cost = (Stats.median(readyMs.getOrDefault("on", List.of()))
                        - Stats.median(readyMs.getOrDefault("off", List.of())))
                / 1000;
        md.append(String.format(Locale.ROOT,
                "%nMedians: create p99 ratio %.2f with the warm-up, %.2f without; read p99 ratio %.2f with, %.2f"
                        + " without; the warm-up adds %.2f s to start-to-ready.%n%n",
                on, off, Stats.median(readRatios.getOrDefault("on", List.of())),
                Stats.median(readRatios.getOrDefault("off", List.of())), cost));
        target("Rollout: p99 of the first 500 creates after ready at most 2x the steady p99 (warm-up on)",
                String.format(Locale.ROOT, "median ratio %.2f over %d starts (without the warm-up %.2f); +%.2f s to ready%s",
                        on, ratios.getOrDefault("on", List.of()).size(), off, cost, failures ? "; FAILURES" : ""),
                on <= 2 && !failures);
        double onReady = Stats.median(readyMs.getOrDefault("on", List.of())) / 1000;
        target("Start to ready at most 3 s with the warm-up on (the pods' default)",
                String.format(Locale.ROOT, "median %.2f s over %d starts (the generator polling beside it)", onReady,
                        readyMs.getOrDefault("on", List.of()).size()),
                onReady <= 3);
    }

    /** The properties files of a step's rounds whose names match, by file name in order. */
    private Map<String, Properties> rounds(String nameRegex) throws IOException {
        Map<String, Properties> rounds = new TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches(nameRegex)).toList()) {
                String name = file.getFileName().toString();
                rounds.put(name, props(name));
            }
        }
        return rounds;
    }

    /** The per-request rows of Gatling's statistics table, read from its HTML report. */
    private static String gatlingTable(String report) throws IOException {
        Path index = Path.of(report, "index.html");
        if (report.isEmpty() || !Files.exists(index)) {
            return "";
        }
        String html = Files.readString(index);
        StringBuilder table = new StringBuilder("| request | count | failed | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |\n"
                + "|---|---|---|---|---|---|---|\n");
        Matcher row = Pattern.compile("<tr id=\"([^\"]+)\"[^>]*>(.*?)</tr>", Pattern.DOTALL).matcher(html);
        while (row.find()) {
            String cells = row.group(2);
            Matcher name = Pattern.compile("class=\"ellipsed-name\">([^<]+)<").matcher(cells);
            if (!name.find()) {
                continue;
            }
            table.append("| ").append(name.group(1)).append(" | ").append(cell(cells, 2)).append(" | ")
                    .append(cell(cells, 4)).append(" | ").append(cell(cells, 8)).append(" | ").append(cell(cells, 10))
                    .append(" | ").append(cell(cells, 11)).append(" | ").append(cell(cells, 12)).append(" |\n");
        }
        return table.toString();
    }

    private static String cell(String cells, int column) {
        Matcher m = Pattern.compile("col-" + column + "\">([^<]*)<").matcher(cells);
        return m.find() ? m.group(1).trim() : "?";
    }

    private void target(String name, String measured, boolean met) {
        targets.add(new String[] {name, measured, met ? "yes" : "**no**"});
    }

    private static double p99(Map<String, Map<Double, double[]>> fill, String series, double level) {
        Map<Double, double[]> s = fill.get(series);
        return s == null || !s.containsKey(level) ? Double.NaN : s.get(level)[1];
    }

    private String read(String name) throws IOException {
        Path path = dir.resolve(name);
        return Files.exists(path) ? Files.readString(path) : "";
    }

    private long readLong(String name) throws IOException {
        String text = read(name).strip();
        return text.isEmpty() ? 0 : Long.parseLong(text);
    }

    private Properties props(String name) throws IOException {
        Properties p = new Properties();
        Path path = dir.resolve(name);
        if (Files.exists(path)) {
            try (Reader reader = Files.newBufferedReader(path)) {
                p.load(reader);
            }
        }
        return p;
    }

    private static double num(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? Double.NaN : Double.parseDouble(v.trim());
    }

    private static String grep(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group() : "";
    }
}
