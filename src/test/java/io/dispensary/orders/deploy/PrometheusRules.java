package io.dispensary.orders.deploy;

import static io.dispensary.orders.deploy.Manifests.list;
import static io.dispensary.orders.deploy.Manifests.map;
import static io.dispensary.orders.deploy.Manifests.str;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The rule groups of the rendered PrometheusRule as a plain Prometheus rules file for promtool, and the
 * metric names and label matchers their expressions use.
 */
final class PrometheusRules {

    /** Where promtool runs: the rules file and copies of k8s/tests/*.test.yaml side by side. */
    static final Path WORK = Path.of("target", "promtool");

    static final Path TESTS = Kustomize.K8S.resolve("tests");
    static final String RULES_FILE = "order-service.rules.yaml";

    /** The service's own metric families; recorded series (with colons) and `up` are not the service's. */
    private static final Pattern METRIC = Pattern.compile("(?<![\\w:])((?:orders|agroal|http_server)_\\w+)(?![\\w:])");

    private static final Pattern SELECTOR =
            Pattern.compile("(?<![\\w:])((?:orders|agroal|http_server)_\\w+)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private PrometheusRules() {}

    /** spec.groups of the overlay's PrometheusRule. */
    static List<Object> groups(String overlay) {
        return list(Kustomize.overlay(overlay).named("PrometheusRule", "order-service"), "spec", "groups");
    }

    /** Every rule (recording and alerting) of the overlay, in order. */
    static List<Map<String, Object>> rules(String overlay) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object group : groups(overlay)) {
            for (Object rule : list(group, "rules")) {
                rules.add(map(rule));
            }
        }
        return rules;
    }

    static List<Map<String, Object>> alerts(String overlay) {
        return rules(overlay).stream().filter(r -> r.containsKey("alert")).toList();
    }

    /**
     * Writes target/promtool/&lt;overlay&gt;/order-service.rules.yaml and copies the promtool unit tests next to
     * it (their rule_files name it relatively). Returns that directory.
     */
    static Path prepare(String overlay) {
        Path dir = WORK.resolve(overlay);
        try {
            Files.createDirectories(dir);
            DumperOptions options = new DumperOptions();
            options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            options.setWidth(200);
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("groups", groups(overlay));
            Files.writeString(dir.resolve(RULES_FILE), new Yaml(options).dump(file), StandardCharsets.UTF_8);
            for (Path test : testFiles()) {
                Files.copy(test, dir.resolve(test.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot prepare " + dir, e);
        }
        return dir;
    }

    /** k8s/tests/*.test.yaml, sorted. */
    static List<Path> testFiles() {
        try (var files = Files.list(TESTS)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".test.yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + TESTS, e);
        }
    }

    /** Runs promtool with these arguments in dir; fails clearly when promtool is not installed. */
    static Kustomize.ProcessResult promtool(Path dir, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(System.getenv().getOrDefault("PROMTOOL", "promtool"));
        command.addAll(List.of(arguments));
        return Kustomize.run(
                command,
                dir,
                "promtool",
                "run bin/test, which installs it (Debian package prometheus), or apt-get install prometheus,"
                        + " or set PROMTOOL to its path");
    }

    /** Runs promtool with this file as its standard input (promtool check metrics reads only stdin). */
    static Kustomize.ProcessResult promtoolReading(Path input, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(System.getenv().getOrDefault("PROMTOOL", "promtool"));
        command.addAll(List.of(arguments));
        return Kustomize.run(
                command,
                null,
                input,
                "promtool",
                "run bin/test, which installs it (Debian package prometheus), or apt-get install prometheus,"
                        + " or set PROMTOOL to its path");
    }

    /** The service's metric names an expression uses, as written (e.g. orders_slo_latency_seconds_bucket). */
    static Set<String> metricNames(String expression) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(expression);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** One selector's metric name and its equality matchers, e.g. orders_slo_requests_total {result=bad}. */
    record Selector(String metric, Map<String, String> equals) {}

    /** The selectors of the service's metrics in an expression, with their label="value" matchers. */
    static List<Selector> selectors(String expression) {
        List<Selector> selectors = new ArrayList<>();
        Matcher matcher = SELECTOR.matcher(expression);
        while (matcher.find()) {
            Map<String, String> equals = new LinkedHashMap<>();
            Matcher label = MATCHER.matcher(matcher.group(2));
            while (label.find()) {
                if (label.group(2).equals("=")) {
                    equals.put(label.group(1), label.group(3));
                }
            }
            selectors.add(new Selector(matcher.group(1), equals));
        }
        return selectors;
    }

    /** Every expression of the rules (recording and alerting). */
    static List<String> expressions(String overlay) {
        return rules(overlay).stream().map(r -> str(r, "expr")).toList();
    }
}
