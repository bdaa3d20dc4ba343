package io.dispensary.orders.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording of the service under create-order load spends its CPU: the share of execution samples
 * whose stack passes through each layer (inclusive), the hottest methods (self), and GC pauses. The layers are
 * matched innermost first, so a sample counts for the deepest layer it is in (e.g. a JDBC write under
 * Hibernate counts as JDBC).
 */
public final class JfrTop {

    /** Layers by package prefix, innermost first. */
    private static final Map<String, List<String>> LAYERS = new LinkedHashMap<>();

    static {
        LAYERS.put("PostgreSQL JDBC driver (incl. socket I/O)", List.of("org.postgresql."));
        LAYERS.put("FF1 / Bouncy Castle", List.of("org.bouncycastle."));
        LAYERS.put("logging", List.of("org.jboss.logmanager.", "org.jboss.logging.", "java.util.logging."));
        LAYERS.put("JSON (Jackson)", List.of("com.fasterxml.jackson."));
        LAYERS.put("Agroal pool / Narayana transactions", List.of("io.agroal.", "com.arjuna.", "io.quarkus.narayana."));
        LAYERS.put("validation (Hibernate Validator)", List.of("org.hibernate.validator."));
        LAYERS.put("Hibernate ORM", List.of("org.hibernate."));
        LAYERS.put("metrics (Micrometer)", List.of("io.micrometer."));
        LAYERS.put("service code (io.dispensary)", List.of("io.dispensary."));
        LAYERS.put("REST layer (RESTEasy Reactive)", List.of("org.jboss.resteasy.reactive.", "io.quarkus.resteasy."));
        LAYERS.put("HTTP server (Vert.x / Netty)", List.of("io.vertx.", "io.netty."));
        LAYERS.put("CDI (ArC)", List.of("io.quarkus.arc."));
    }

    private JfrTop() {
    }

    public static void main(String[] argv) throws IOException {
        Args args = new Args(argv);
        Path file = Path.of(args.get("jfr"));
        int samples = 0;
        Map<String, Integer> byLayer = new LinkedHashMap<>();
        LAYERS.keySet().forEach(k -> byLayer.put(k, 0));
        byLayer.put("other (JDK and runtime outside these layers)", 0);
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Duration gcPause = Duration.ZERO;
        int gcs = 0;
        Duration parked = Duration.ZERO;
        Duration monitor = Duration.ZERO;
        Map<String, Double> monitorBy = new HashMap<>();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                String type = event.getEventType().getName();
                switch (type) {
                    case "jdk.ExecutionSample", "jdk.NativeMethodSample" -> {
                        if (!type.equals("jdk.ExecutionSample")) {
                            break;
                        }
                        RecordedStackTrace stack = event.getStackTrace();
                        if (stack == null || stack.getFrames().isEmpty()) {
                            break;
                        }
                        samples++;
                        List<RecordedFrame> frames = stack.getFrames();
                        RecordedFrame top = frames.get(0);
                        self.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1, Integer::sum);
                        String thread = event.getThread("sampledThread") == null ? "?"
                                : event.getThread("sampledThread").getJavaName();
                        threads.merge(thread == null ? "?" : thread.replaceAll("[0-9]+", "N"), 1, Integer::sum);
                        byLayer.merge(layerOf(frames), 1, Integer::sum);
                    }
                    case "jdk.GarbageCollection" -> {
                        gcs++;
                        gcPause = gcPause.plus(event.getDuration("sumOfPauses"));
                    }
                    case "jdk.ThreadPark" -> parked = parked.plus(event.getDuration());
                    case "jdk.JavaMonitorEnter" -> {
                        monitor = monitor.plus(event.getDuration());
                        RecordedStackTrace stack = event.getStackTrace();
                        String where = stack == null || stack.getFrames().isEmpty() ? "?"
                                : stack.getFrames().get(0).getMethod().getType().getName() + "."
                                        + stack.getFrames().get(0).getMethod().getName();
                        monitorBy.merge(where, event.getDuration().toNanos() / 1e6, Double::sum);
                    }
                    default -> {
                    }
                }
            }
        }
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%d CPU samples (jdk.ExecutionSample).%n%n", samples));
        md.append("| layer (deepest on the stack) | share of CPU samples |\n|---|---|\n");
        int total = samples;
        byLayer.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e -> md.append(
                String.format(Locale.ROOT, "| %s | %.1f%% |%n", e.getKey(), 100.0 * e.getValue() / Math.max(1, total))));
        md.append("\n| hottest methods (self) | share |\n|---|---|\n");
        self.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(15).forEach(e -> md.append(
                String.format(Locale.ROOT, "| `%s` | %.1f%% |%n", e.getKey(), 100.0 * e.getValue() / Math.max(1, total))));
        md.append("\n| threads | share |\n|---|---|\n");
        threads.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(6).forEach(e -> md.append(
                String.format(Locale.ROOT, "| %s | %.1f%% |%n", e.getKey(), 100.0 * e.getValue() / Math.max(1, total))));
        md.append(String.format(Locale.ROOT, "%nGC: %d collections, %.0f ms of pauses in all. Monitor waits (>= 20 ms "
                + "each): %.0f ms; parked (>= 20 ms each): %.0f s.%n", gcs, gcPause.toNanos() / 1e6,
                monitor.toNanos() / 1e6, parked.toNanos() / 1e9));
        if (!monitorBy.isEmpty()) {
            md.append("\n| monitor waits by where they block | ms |\n|---|---|\n");
            monitorBy.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(5)
                    .forEach(e -> md.append(String.format(Locale.ROOT, "| `%s` | %.0f |%n", e.getKey(), e.getValue())));
        }
        Files.writeString(Path.of(args.get("out")), md);
        System.out.print(md);
    }

    private static String layerOf(List<RecordedFrame> frames) {
        // Innermost frame first: the first frame that belongs to a layer names it.
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            for (Map.Entry<String, List<String>> layer : LAYERS.entrySet()) {
                for (String prefix : layer.getValue()) {
                    if (type.startsWith(prefix)) {
                        return layer.getKey();
                    }
                }
            }
        }
        return "other (JDK and runtime outside these layers)";
    }
}
