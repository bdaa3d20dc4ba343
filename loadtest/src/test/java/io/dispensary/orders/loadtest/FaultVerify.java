package io.dispensary.orders.loadtest;

import io.dispensary.orders.ordernumber.OrderNumberCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * After one fault scenario: reads what the clients were told ({@link FaultLoad}'s answers.tsv, orders.tsv,
 * health.tsv), when the fault happened (events.tsv, written by the script: epoch ms, event, service log lines
 * so far) and what the database holds, and writes {@code row.properties}, one row of the report:
 *
 * <ul>
 *   <li>acknowledged but missing: a number a client got in a 201 that no customer_order row has;</li>
 *   <li>duplicates: a number acknowledged to two different Idempotency-Keys, or order_number or
 *       (width, sequence_value) twice in the table;</li>
 *   <li>ghosts: rows whose number no client was ever told (the order exists, the shopper thinks it failed);</li>
 *   <li>the sequence position (order_number_seq) against the largest sequence value behind an acknowledged
 *       number (decoded with the service's own codec): behind it, numbers already given out will be issued
 *       again;</li>
 *   <li>answers by status, slowest answer, answers over 2.5 s, recovery (from each fault's recovery reference
 *       to the first 201 of a request sent after it), readiness DOWN, service log lines per 10 s of fault.</li>
 * </ul>
 */
public final class FaultVerify {

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Path dir = Path.of(args.get("dir"));
        Properties row = new Properties();
        row.setProperty("scenario", args.get("scenario"));
        row.setProperty("sync", args.get("sync", "true"));
        Path loadavg = dir.resolve("loadavg");
        row.setProperty("loadavg", Files.exists(loadavg) ? Files.readString(loadavg).trim() : "?");
        StringBuilder details = new StringBuilder();

        // --- events: fault windows and their recovery references ---
        List<long[]> events = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("events.tsv"))) {
            String[] f = line.split("\t");
            if (f.length < 2) {
                continue;
            }
            names.add(f[1]);
            // Log lines so far, less the one INFO line per order created (the service's business log, written at
            // any rate, outage or not): what is left is what the fault made it write.
            long lines = f.length > 2 ? Long.parseLong(f[2]) : 0;
            long created = f.length > 3 ? Long.parseLong(f[3]) : 0;
            events.add(new long[] {Long.parseLong(f[0]), lines - created, lines});
        }
        // start ms, end ms, log lines at start, at end, recovery reference ms, all log lines at start, at end
        List<long[]> windows = new ArrayList<>();
        long[] open = null;
        long ref = -1;
        for (int i = 0; i < names.size(); i++) {
            long[] e = events.get(i);
            switch (names.get(i)) {
                case "fault_start" -> {
                    open = e;
                    ref = -1;
                }
                case "recovery_ref" -> ref = e[0];
                case "fault_end" -> {
                    if (open != null) {
                        windows.add(new long[] {open[0], e[0], open[1], e[1], ref >= 0 ? ref : e[0], open[2], e[2]});
                        open = null;
                    }
                }
                default -> {
                }
            }
        }
        // A recovery reference given after the window closed (e.g. promotion seen late) still applies to it.
        for (int i = 0, w = -1; i < names.size(); i++) {
            if (names.get(i).equals("fault_end")) {
                w++;
            } else if (names.get(i).equals("recovery_ref_after") && w >= 0 && w < windows.size()) {
                windows.get(w)[4] = events.get(i)[0];
            }
        }

        // --- answers ---
        List<String[]> answers = rows(dir.resolve("answers.tsv"));
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Integer> noAnswer = new TreeMap<>();
        long slowestUs = 0;
        int over = 0;
        for (String[] a : answers) {
            int status = Integer.parseInt(a[2]);
            long us = Long.parseLong(a[1]);
            statuses.merge(status, 1, Integer::sum);
            if (status < 0) {
                noAnswer.merge(a[3], 1, Integer::sum);
            }
            slowestUs = Math.max(slowestUs, us);
            if (us > 2_500_000) {
                over++;
            }
        }
        row.setProperty("requests", String.valueOf(answers.size()));
        row.setProperty("s201", String.valueOf(statuses.getOrDefault(201, 0)));
        row.setProperty("s4xx", byCode(statuses, 400, 499));
        row.setProperty("s5xx", byCode(statuses, 500, 599));
        row.setProperty("s500", String.valueOf(statuses.getOrDefault(500, 0)));
        int none = statuses.getOrDefault(-1, 0);
        row.setProperty("no_answer", String.valueOf(none));
        row.setProperty("no_answer_why", noAnswer.toString());
        row.setProperty("slowest_ms", String.valueOf(slowestUs / 1000));
        row.setProperty("over_2500ms", String.valueOf(over));
        Map<String, Integer> problems = new TreeMap<>();
        for (String[] a : answers) {
            if (!a[2].equals("201")) {
                problems.merge(a[2] + " " + a[3], 1, Integer::sum);
            }
        }
        details.append("answers other than 201, by status and problem type or error: ").append(problems).append('\n');

        // --- recovery: from each window's reference to the first 201 of a request sent after the outage was
        // visible: after the reference, and after the first failed answer since the fault began (after a kill -9
        // the old primary's orphaned backends can still commit for a second or two: those 201s are not recovery).
        long worst = -1;
        boolean unrecovered = false;
        List<String> perWindow = new ArrayList<>();
        for (long[] w : windows) {
            long firstFailure = Long.MAX_VALUE;
            for (String[] a : answers) {
                long sent = Long.parseLong(a[0]);
                long answered = sent + Long.parseLong(a[1]) / 1000;
                if (!a[2].equals("201") && answered >= w[0]) {
                    firstFailure = Math.min(firstFailure, answered);
                }
            }
            long from = firstFailure == Long.MAX_VALUE ? w[4] : Math.max(w[4], firstFailure);
            long first = Long.MAX_VALUE;
            for (String[] a : answers) {
                long sent = Long.parseLong(a[0]);
                if (a[2].equals("201") && sent >= from) {
                    first = Math.min(first, sent + Long.parseLong(a[1]) / 1000);
                }
            }
            if (first == Long.MAX_VALUE) {
                unrecovered = true;
                perWindow.add("none");
            } else {
                worst = Math.max(worst, first - w[4]);
                perWindow.add(String.valueOf(first - w[4]));
            }
        }
        row.setProperty("recovery_ms", unrecovered ? "none" : windows.isEmpty() ? "n/a" : String.valueOf(worst));
        row.setProperty("recovery_per_fault_ms", String.join(",", perWindow));
        long faultMs = windows.stream().mapToLong(w -> w[1] - w[0]).sum();
        long faultLines = Math.max(0, windows.stream().mapToLong(w -> w[3] - w[2]).sum());
        row.setProperty("fault_seconds", String.format(Locale.ROOT, "%.1f", faultMs / 1000.0));
        row.setProperty("fault_log_lines", String.valueOf(faultLines));
        row.setProperty("fault_log_lines_with_created",
                String.valueOf(windows.stream().mapToLong(w -> w[6] - w[5]).sum()));
        row.setProperty("log_lines_per_10s", faultMs <= 0 ? "n/a"
                : String.format(Locale.ROOT, "%.0f", faultLines * 10000.0 / Math.max(faultMs, 1000)));

        // --- readiness ---
        List<String[]> probes = rows(dir.resolve("health.tsv"));
        int down = 0;
        int downInFault = 0;
        int inFault = 0;
        for (String[] p : probes) {
            long sent = Long.parseLong(p[0]);
            boolean isDown = !p[2].equals("200");
            if (isDown) {
                down++;
            }
            for (long[] w : windows) {
                if (sent >= w[0] && sent <= w[1]) {
                    inFault++;
                    if (isDown) {
                        downInFault++;
                    }
                    break;
                }
            }
        }
        int targets = Math.max(1, (int) probes.stream().map(p -> p[1]).distinct().count());
        row.setProperty("ready_probes", String.valueOf(probes.size()));
        row.setProperty("ready_down_seconds", String.format(Locale.ROOT, "%.1f", down * 0.25 / targets));
        row.setProperty("ready_down_percent", String.format(Locale.ROOT, "%.0f",
                probes.isEmpty() ? 0.0 : 100.0 * down / probes.size()));
        row.setProperty("ready_probes_in_fault", String.valueOf(inFault));
        row.setProperty("ready_down_in_fault", String.valueOf(downInFault));

        // --- what the clients were told, per logical order ---
        List<String[]> orders = rows(dir.resolve("orders.tsv"));
        // The warm-up's orders are real rows too: their numbers were told to a client (not ghosts), and must be kept.
        List<String[]> warmup = rows(dir.resolve("warmup").resolve("orders.tsv"));
        Map<String, Set<String>> keysByNumber = new HashMap<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        for (String[] o : orders) {
            outcomes.merge(o[4], 1, Integer::sum);
            if (o[4].equals("acked")) {
                keysByNumber.computeIfAbsent(o[5], k -> new HashSet<>()).add(o[1]);
            }
        }
        for (String[] o : warmup) {
            if (o[4].equals("acked")) {
                keysByNumber.computeIfAbsent(o[5], k -> new HashSet<>()).add(o[1]);
            }
        }
        row.setProperty("warmup_orders", String.valueOf(warmup.size()));
        row.setProperty("orders", String.valueOf(orders.size()));
        row.setProperty("orders_acked", String.valueOf(outcomes.getOrDefault("acked", 0)));
        row.setProperty("orders_gave_up", String.valueOf(outcomes.getOrDefault("gave-up", 0)));
        row.setProperty("orders_rejected", String.valueOf(outcomes.getOrDefault("rejected", 0)));
        row.setProperty("orders_unfinished", String.valueOf(outcomes.getOrDefault("unfinished", 0)));
        List<String> ackedTwice = keysByNumber.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(Map.Entry::getKey).sorted().collect(Collectors.toList());

        OrderNumberCodec codec =
                new OrderNumberCodec(OrderNumberCodec.parseKey(args.get("key")), args.getInt("digits", 8), true);
        long maxAckedValue = -1;
        int undecodable = 0;
        for (String number : keysByNumber.keySet()) {
            try {
                maxAckedValue = Math.max(maxAckedValue, codec.decode(codec.parse(number)));
            } catch (RuntimeException e) {
                undecodable++;
            }
        }

        // --- the database ---
        Set<String> stored = new HashSet<>();
        Map<String, String> numberByKey = new HashMap<>();
        long dupNumbers;
        long dupValues;
        long seqPosition;
        try (Connection db = DriverManager.getConnection(args.get("jdbc"), args.get("user", "orders"),
                args.get("password", "orders")); Statement s = db.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT order_number FROM customer_order WHERE NOT test")) {
                while (r.next()) {
                    stored.add(r.getString(1));
                }
            }
            // The idempotency record is written with its order, in one transaction: it says which order a key made.
            try (ResultSet r = s.executeQuery("SELECT idempotency_key, order_number FROM idempotency_record")) {
                while (r.next()) {
                    numberByKey.put(r.getString(1), r.getString(2));
                }
            }
            dupNumbers = count(s, "SELECT count(*) FROM (SELECT order_number FROM customer_order "
                    + "GROUP BY order_number HAVING count(*) > 1) d");
            dupValues = count(s, "SELECT count(*) FROM (SELECT number_digits, sequence_value FROM customer_order "
                    + "WHERE NOT test GROUP BY number_digits, sequence_value HAVING count(*) > 1) d");
            try (ResultSet r = s.executeQuery("SELECT last_value, is_called FROM order_number_seq")) {
                r.next();
                seqPosition = r.getBoolean(2) ? r.getLong(1) : r.getLong(1) - 1;
            }
            long maxStored = count(s, "SELECT coalesce(max(sequence_value), -1) FROM customer_order WHERE NOT test");
            row.setProperty("max_stored_sequence_value", String.valueOf(maxStored));
        }
        // An acknowledged order is kept when its number is stored AND its key's record names that number: after an
        // asynchronous failover a lost order's number can be issued again to another key, and then the number is
        // in the table while the acknowledged order is not.
        List<String> missing = new ArrayList<>();
        int missingByNumber = 0;
        for (List<String[]> list : List.of(orders, warmup)) {
            for (String[] o : list) {
                if (!o[4].equals("acked")) {
                    continue;
                }
                if (!stored.contains(o[5])) {
                    missingByNumber++;
                }
                if (!stored.contains(o[5]) || !o[5].equals(numberByKey.get(o[1]))) {
                    missing.add(o[5] + " (" + o[1] + ")");
                }
            }
        }
        java.util.Collections.sort(missing);
        row.setProperty("missing_number_not_stored", String.valueOf(missingByNumber));
        List<String> ghosts = stored.stream().filter(n -> !keysByNumber.containsKey(n)).sorted()
                .collect(Collectors.toList());
        row.setProperty("stored_orders", String.valueOf(stored.size()));
        row.setProperty("missing", String.valueOf(missing.size()));
        row.setProperty("duplicates", String.valueOf(ackedTwice.size() + dupNumbers + dupValues));
        row.setProperty("dup_acked_to_two_keys", String.valueOf(ackedTwice.size()));
        row.setProperty("dup_rows_number", String.valueOf(dupNumbers));
        row.setProperty("dup_rows_sequence_value", String.valueOf(dupValues));
        row.setProperty("ghosts", String.valueOf(ghosts.size()));
        row.setProperty("sequence_position", String.valueOf(seqPosition));
        row.setProperty("max_acked_sequence_value", String.valueOf(maxAckedValue));
        row.setProperty("sequence_behind", String.valueOf(Math.max(0, maxAckedValue - seqPosition)));
        row.setProperty("undecodable_numbers", String.valueOf(undecodable));
        details.append("orders by outcome: ").append(outcomes).append('\n');
        details.append("no answer, by error: ").append(noAnswer).append('\n');
        details.append("acknowledged but missing (first 20): ").append(first(missing)).append('\n');
        details.append("acknowledged to two keys (first 20): ").append(first(ackedTwice)).append('\n');
        details.append("ghosts (first 20): ").append(first(ghosts)).append('\n');
        details.append(String.format(Locale.ROOT, "fault windows (ms from the first, log lines): %s%n",
                windows.stream().map(w -> String.format(Locale.ROOT, "[%d..%d ref %d, %d lines]", 0L,
                        w[1] - w[0], w[4] - w[0], w[3] - w[2])).collect(Collectors.joining(" "))));

        try (var out = Files.newBufferedWriter(dir.resolve("row.properties"))) {
            row.store(out, "one row of the fault report");
        }
        Files.writeString(dir.resolve("verify.txt"), details);
        System.out.print(details);
        System.out.println(new TreeMap<>(row));
    }

    private static List<String> first(List<String> list) {
        return list.subList(0, Math.min(20, list.size()));
    }

    static String byCode(Map<Integer, Integer> statuses, int from, int to) {
        String s = statuses.entrySet().stream().filter(e -> e.getKey() >= from && e.getKey() <= to)
                .sorted((a, b) -> b.getValue() - a.getValue())
                .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(" "));
        return s.isEmpty() ? "0" : s;
    }

    private static List<String[]> rows(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.split("\t"))
                .collect(Collectors.toList());
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
