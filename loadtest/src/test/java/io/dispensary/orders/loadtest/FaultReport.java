package io.dispensary.orders.loadtest;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The fault suite's report: one markdown table, a row per scenario ({@link FaultVerify}'s row.properties), each
 * target judged met or missed, and the cost of synchronous commit. Exit status: 0, or 1 when a no-loss target
 * (missing, duplicates, ghosts) is missed in a synchronous scenario, or 2 when a scenario left no row (the suite
 * itself broke). Timing targets missed are reported, never fatal.
 */
public final class FaultReport {

    private record Verdict(String scenario, String target, boolean met, String measured) {
    }

    public static void main(String[] argv) throws IOException {
        Args args = new Args(argv);
        Path run = Path.of(args.get("dir"));
        String[] scenarios = args.get("scenarios").split(",");
        StringBuilder md = new StringBuilder();
        md.append("# Fault suite: ").append(args.get("title", run.getFileName().toString())).append("\n\n");
        md.append("48 clients, ~150 creates/s paced (closed loop: a client busy retrying skips its missed slots), "
                + "each order retried with the same Idempotency-Key on no answer / 5xx / 409, after Retry-After "
                + "(1 s when absent), for 30 s; client timeout 30 s. Latency is per HTTP attempt. Recovery: from "
                + "the fault's end (PostgreSQL back, lock released, service ready, new primary; patroni-kill: "
                + "from the kill) to the first 201 of a request sent after it and after the first failed answer since the "
                + "fault began (so 201s a killed primary's orphaned backends still give are not counted as recovery). Readiness: /q/health/ready every "
                + "250 ms, 1 s timeout. Log lines: service log lines written during the fault window, per 10 s, not counting the one INFO "
                + "'Created order' line per new order (business log, written with or without a fault). Each service "
                + "instance is warmed up with 5 s of creates (unmeasured, its orders still checked) before the load.\n\n");
        md.append("| scenario | requests | 201 | 4xx | 5xx | no answer | slowest | > 2.5 s | recovery | "
                + "ack'd missing | duplicates | ghosts | sequence pos / max ack'd | readiness DOWN | "
                + "log lines / 10 s |\n");
        md.append("|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|\n");
        List<Verdict> verdicts = new ArrayList<>();
        boolean broke = false;
        boolean lossMissed = false;
        for (String scenario : scenarios) {
            if (scenario.equals("sync-cost")) {
                continue;
            }
            Path file = run.resolve(scenario).resolve("row.properties");
            if (!Files.exists(file)) {
                md.append("| ").append(scenario).append(" | **no result: the scenario broke (see ")
                        .append(scenario).append("/scenario.log)** |||||||||||||||\n");
                broke = true;
                continue;
            }
            Properties p = load(file);
            boolean sync = Boolean.parseBoolean(p.getProperty("sync", "true"));
            long slowest = Long.parseLong(p.getProperty("slowest_ms"));
            String recovery = p.getProperty("recovery_ms");
            String seq = p.getProperty("sequence_position") + " / " + p.getProperty("max_acked_sequence_value");
            long behind = Long.parseLong(p.getProperty("sequence_behind"));
            if (behind > 0) {
                seq += " (**" + behind + " behind**)";
            }
            md.append(String.format(Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %.2f s | %s | %s | %s | %s | %s | %s | %s s / %s%% | %s |%n",
                    scenario + (sync ? "" : " (async: the hazard)"), p.getProperty("requests"),
                    p.getProperty("s201"), p.getProperty("s4xx"), p.getProperty("s5xx"), p.getProperty("no_answer"),
                    slowest / 1000.0, p.getProperty("over_2500ms"), seconds(recovery), p.getProperty("missing"),
                    p.getProperty("duplicates"), p.getProperty("ghosts"), seq, p.getProperty("ready_down_seconds"),
                    p.getProperty("ready_down_percent"), p.getProperty("log_lines_per_10s")));
            verdicts.add(new Verdict(scenario, "slowest answer <= 2.5 s", slowest <= 2500,
                    String.format(Locale.ROOT, "%.2f s", slowest / 1000.0)));
            int missing = Integer.parseInt(p.getProperty("missing"));
            int dups = Integer.parseInt(p.getProperty("duplicates"));
            int ghosts = Integer.parseInt(p.getProperty("ghosts"));
            if (sync) {
                boolean ok = missing == 0 && dups == 0 && ghosts == 0;
                verdicts.add(new Verdict(scenario, "0 missing, 0 duplicates, 0 ghosts", ok,
                        missing + " / " + dups + " / " + ghosts));
                lossMissed |= !ok;
            } else {
                verdicts.add(new Verdict(scenario, "(async, not a target) lost acknowledged orders, re-issued numbers",
                        true, missing + " missing, " + dups + " duplicates, " + ghosts + " ghosts, sequence "
                                + behind + " behind the largest acknowledged value"));
            }
            int s500 = Integer.parseInt(p.getProperty("s500"));
            verdicts.add(new Verdict(scenario, "0 answers of 500", s500 == 0, String.valueOf(s500)));
            String lines = p.getProperty("log_lines_per_10s");
            if (!lines.equals("n/a")) {
                verdicts.add(new Verdict(scenario, "<= 30 log lines per 10 s of outage",
                        Double.parseDouble(lines) <= 30, lines + " (" + p.getProperty("fault_log_lines") + " lines in "
                                + p.getProperty("fault_seconds") + " s; " + p.getProperty("fault_log_lines_with_created")
                                + " with the per-order 'Created order' lines)"));
            }
            if (scenario.equals("restart")) {
                verdicts.add(new Verdict(scenario, "first 201 <= 1 s after PostgreSQL is back",
                        isNumber(recovery) && Long.parseLong(recovery) <= 1000, seconds(recovery)));
            }
            if (scenario.equals("patroni-kill")) {
                verdicts.add(new Verdict(scenario, "201s again within 15 s of kill -9 of the primary",
                        isNumber(recovery) && Long.parseLong(recovery) <= 15000, seconds(recovery)));
            }
            if (scenario.equals("lock")) {
                int down = Integer.parseInt(p.getProperty("ready_down_in_fault"));
                verdicts.add(new Verdict(scenario, "readiness UP throughout the lock", down == 0,
                        down + " of " + p.getProperty("ready_probes_in_fault") + " probes DOWN during the lock"));
            }
        }
        md.append("\nOrders per scenario (logical orders: acknowledged / gave up after 30 s / rejected 4xx / "
                + "unfinished at the drain's end):\n\n");
        for (String scenario : scenarios) {
            Path file = run.resolve(scenario).resolve("row.properties");
            if (!scenario.equals("sync-cost") && Files.exists(file)) {
                Properties p = load(file);
                md.append(String.format(Locale.ROOT, "- %s: %s orders: %s / %s / %s / %s; no answer by error %s; "
                        + "recovery per fault %s ms; load average at its start %s (2 cores, shared)%n", scenario, p.getProperty("orders"),
                        p.getProperty("orders_acked"), p.getProperty("orders_gave_up"),
                        p.getProperty("orders_rejected"), p.getProperty("orders_unfinished"),
                        p.getProperty("no_answer_why"), p.getProperty("recovery_per_fault_ms"),
                        p.getProperty("loadavg")));
            }
        }
        md.append("\n## Targets\n\n| scenario | target | measured | |\n|---|---|---|---|\n");
        for (Verdict v : verdicts) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", v.scenario(), v.target(), v.measured(),
                    v.target().startsWith("(") ? "the hazard, shown" : v.met() ? "met" : "**missed**"));
        }
        Path cost = run.resolve("sync-cost");
        if (List.of(scenarios).contains("sync-cost")) {
            md.append("\n## Cost of synchronous commit\n\n");
            md.append("`OpenLoad --mode=search` (open model, latency from each request's due time): the highest "
                    + "create-order rate with p99 < 300 ms and <= 0.1 % failures (steps x1.6, one bisection), then "
                    + "p99 at half that rate; a fresh service on each, one after the other in this run.\n\n");
            md.append("| database | highest rate within the SLO | its p99 | p99 at half the rate | load average at its start |\n|---|---:|---:|---:|---|\n");
            for (String[] which : new String[][] {{"single", "single private PostgreSQL"},
                    {"sync", "Patroni, synchronous strict, 3 nodes"}}) {
                Path file = cost.resolve(which[0] + ".properties");
                if (!Files.exists(file)) {
                    md.append("| ").append(which[1]).append(" | no result | | |\n");
                    broke = true;
                    continue;
                }
                Properties p = load(file);
                md.append(String.format(Locale.ROOT, "| %s | %s/s | %s ms | %s ms | %s |%n", which[1],
                        p.getProperty("max_rate"), p.getProperty("max_rate_p99_ms"),
                        p.getProperty("half_rate_p99_ms"), p.getProperty("loadavg", "?")));
            }
        }
        long missed = verdicts.stream().filter(v -> !v.met()).count();
        md.append(String.format(Locale.ROOT, "%n%d of %d targets met%s.%n", verdicts.size() - missed,
                verdicts.size(), lossMissed ? "; a no-loss target was missed (exit 1)" : ""));
        if (broke) {
            md.append("The suite itself broke in at least one scenario (exit 2).\n");
        }
        Files.writeString(run.resolve("faults.md"), md);
        System.out.print(md);
        System.exit(broke ? 2 : lossMissed ? 1 : 0);
    }

    private static boolean isNumber(String s) {
        return s != null && s.matches("-?[0-9]+");
    }

    private static String seconds(String ms) {
        return isNumber(ms) ? String.format(Locale.ROOT, "%.2f s", Long.parseLong(ms) / 1000.0) : ms;
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }
}
