package io.dispensary.orders.deploy;

import static io.dispensary.orders.deploy.Manifests.at;
import static io.dispensary.orders.deploy.Manifests.list;
import static io.dispensary.orders.deploy.Manifests.map;
import static io.dispensary.orders.deploy.Manifests.str;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The alert rules are valid for promtool, their unit tests (k8s/tests) pass and fire, and hold back, every
 * alert; every alert says what happened and links a runbook that exists; and their thresholds are the service's
 * own objectives, latency thresholds and number-space levels.
 */
class PrometheusRuleTest {

    static final List<String> OVERLAYS = Kustomize.OVERLAYS;
    static final Path RUNBOOKS = Kustomize.K8S.resolve("README.md");
    static final List<String> WINDOWS = List.of("5m", "30m", "1h", "2h", "6h", "1d", "3d");
    private static final Pattern FACTOR = Pattern.compile("\\(([0-9.]+) \\* \\(1 - ([0-9.]+)\\)\\)");

    /** The webhook-delivery SLO: 99% of events to healthy receivers delivered within 60 s, over 28 days. */
    static final String WEBHOOK_DELIVERY = "webhook-delivery";

    static final BigDecimal WEBHOOK_DELIVERY_OBJECTIVE = new BigDecimal("0.99");
    static final BigDecimal WEBHOOK_DELIVERY_SECONDS = new BigDecimal("60");

    /** Gauges read from PostgreSQL: every pod reports the same value. */
    private static final Pattern SHARED_GAUGE = Pattern.compile("orders_webhook_(?:backlog|lag_seconds)\\{");

    private static final Pattern MAX_OF_SHARED_GAUGE =
            Pattern.compile("max by \\([^)]*\\) \\(\\s*orders_webhook_(?:backlog|lag_seconds)\\{");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void promtoolAcceptsTheRulesOfEveryOverlay(String overlay) {
        Path dir = PrometheusRules.prepare(overlay);
        Kustomize.ProcessResult check = PrometheusRules.promtool(dir, "check", "rules", PrometheusRules.RULES_FILE);
        System.out.printf("promtool check rules (%s):%n%s%n", overlay, check.output());
        assertThat(check.exitCode())
                .as("promtool check rules:%n%s", check.output())
                .isZero();
        assertThat(check.output()).contains("SUCCESS");
    }

    @Test
    void thePromtoolUnitTestsPass() throws Exception {
        Path dir = PrometheusRules.prepare("prod");
        List<String> files = PrometheusRules.testFiles().stream()
                .map(f -> f.getFileName().toString())
                .toList();
        assertThat(files).hasSizeGreaterThan(1);
        // One promtool per file, as many at once as there are cores: promtool tests its files one after the other on
        // one core, and the five took two minutes of bin/test on a slow 2-core host (47 s the longest).
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            List<Future<Kustomize.ProcessResult>> runs = new ArrayList<>();
            for (String file : files) {
                runs.add(pool.submit(() -> PrometheusRules.promtool(dir, "test", "rules", file)));
            }
            for (int i = 0; i < files.size(); i++) {
                Kustomize.ProcessResult test = runs.get(i).get();
                System.out.printf("promtool test rules %s:%n%s%n", files.get(i), test.output());
                assertThat(test.exitCode())
                        .as("promtool test rules %s:%n%s", files.get(i), test.output())
                        .isZero();
                assertThat(test.output()).contains("SUCCESS").doesNotContain("FAILED");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyAlertIsShownFiringAndNotFiringForEachEndpointItWatches() {
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (Path file : PrometheusRules.testFiles()) {
            for (Object group : list(load(file), "tests")) {
                Object alertTests = at(group, "alert_rule_test");
                if (!(alertTests instanceof List<?> cases)) {
                    continue;
                }
                for (Object test : cases) {
                    String alert = str(test, "alertname");
                    Object expected = at(test, "exp_alerts");
                    if (!(expected instanceof List<?> alerts) || alerts.isEmpty()) {
                        quiet.add(alert);
                        continue;
                    }
                    for (Object exp : alerts) {
                        firing.add(alert);
                        String slo = str(exp, "exp_labels", "slo");
                        if (slo != null) {
                            firing.add(alert + "/" + slo);
                        }
                    }
                }
            }
        }
        for (Map<String, Object> rule : PrometheusRules.alerts("prod")) {
            String alert = str(rule, "alert");
            String slo = str(rule, "labels", "slo");
            assertThat(firing)
                    .as("a promtool test where %s fires", alert)
                    .contains(slo == null ? alert : alert + "/" + slo);
            assertThat(quiet).as("a promtool test where %s stays quiet", alert).contains(alert);
        }
    }

    @Test
    void everyAlertIsAPageOrATicketWithASummaryADescriptionAndARunbookSection() throws IOException {
        Set<String> anchors = anchors(Files.readString(RUNBOOKS, StandardCharsets.UTF_8));
        List<Map<String, Object>> alerts = PrometheusRules.alerts("prod");
        assertThat(alerts).isNotEmpty();
        for (Map<String, Object> rule : alerts) {
            String alert = str(rule, "alert");
            assertThat(str(rule, "labels", "severity"))
                    .as("severity of %s", alert)
                    .isIn("page", "ticket");
            assertThat(str(rule, "annotations", "summary"))
                    .as("summary of %s", alert)
                    .isNotBlank();
            assertThat(str(rule, "annotations", "description"))
                    .as("description of %s", alert)
                    .isNotBlank();
            String runbook = str(rule, "annotations", "runbook_url");
            assertThat(runbook).as("runbook_url of %s", alert).contains("k8s/README.md#");
            String anchor = runbook.substring(runbook.indexOf('#') + 1);
            assertThat(anchor).as("runbook anchor of %s", alert).isEqualTo(alert.toLowerCase(Locale.ROOT));
            assertThat(anchors).as("a section %s in %s", alert, RUNBOOKS).contains(anchor);
        }
    }

    @Test
    void theSloRecordingRulesCoverEveryAlertWindowForEveryEndpoint() {
        Map<String, String> records = PrometheusRules.rules("prod").stream()
                .filter(r -> r.containsKey("record"))
                .collect(Collectors.toMap(r -> str(r, "record"), r -> str(r, "expr"), (a, b) -> a + "\n" + b));
        for (String window : WINDOWS) {
            String expr = records.get("namespace_slo:orders_slo_requests_bad:ratio_rate" + window);
            assertThat(expr)
                    .as("bad ratio over %s", window)
                    .isNotNull()
                    .contains("rate(orders_slo_requests_total{job=\"order-service\", result=\"bad\"}[" + window + "])")
                    .contains("rate(orders_slo_requests_total{job=\"order-service\"}[" + window + "])")
                    .contains("sum by (namespace, slo)");
        }
        assertThat(records).containsKey("namespace_slo:orders_slo_latency_seconds:p99_rate1h");
    }

    @Test
    void theBurnRateAlertsUseEachEndpointsObjectiveAndTheFactorsOfItsPeriod() {
        ServiceConfiguration service = ServiceConfiguration.read();
        Map<String, String> config = Kustomize.overlay("prod").config();
        Set<String> slos = service.sloNames();
        assertThat(slos).contains("create-order", "get-order");
        for (String slo : slos) {
            BigDecimal objective = new BigDecimal(service.effective(config, "orders.slo." + slo + ".objective"));
            Duration period = ServiceConfiguration.duration(service.effective(config, "orders.slo." + slo + ".period"));
            // The factors (13.44, 5.6, 2.8, 0.933) are budget share x period / window for 28 days.
            assertThat(period)
                    .as("period of %s: the burn-rate factors are for 28 days", slo)
                    .isEqualTo(Duration.ofDays(28));
            assertFactors(
                    "OrdersErrorBudgetBurnPage",
                    slo,
                    objective,
                    Map.of("13.44", List.of("1h", "5m"), "5.6", List.of("6h", "30m")));
            assertFactors(
                    "OrdersErrorBudgetBurnTicket",
                    slo,
                    objective,
                    Map.of("2.8", List.of("1d", "2h"), "0.933", List.of("3d", "6h")));
            assertThat(recordedConstant("slo:orders_slo_objective:ratio", slo)).isEqualByComparingTo(objective);
        }
    }

    @Test
    void everyBurnRatePairNeedsTheServicesMinimumOfRequestsInItsLongWindow() {
        ServiceConfiguration service = ServiceConfiguration.read();
        Map<String, String> config = Kustomize.overlay("prod").config();
        long minimum = Long.parseLong(service.effective(config, "orders.slo-min-requests"));
        Set<String> slos = new TreeSet<>(service.sloNames());
        slos.add(WEBHOOK_DELIVERY);
        for (String alertName : List.of("OrdersErrorBudgetBurnPage", "OrdersErrorBudgetBurnTicket")) {
            for (String slo : slos) {
                String expr = str(alert(alertName, slo), "expr");
                Matcher pair = Pattern.compile("ratio_rate(\\w+)\\{slo=\"" + Pattern.quote(slo)
                                + "\"} > [^\n]+\\s+and\\s+"
                                + "[^\n]+ratio_rate\\w+\\{slo=\"" + Pattern.quote(slo) + "\"} > [^\n]+\\s+and\\s+"
                                + "sum by \\(namespace, slo\\) \\(\\s+increase\\(orders_slo_requests_total"
                                + "\\{job=\"order-service\", slo=\"" + Pattern.quote(slo)
                                + "\"}\\[(\\w+)]\\)\\) >= (\\d+)")
                        .matcher(expr);
                int pairs = 0;
                while (pair.find()) {
                    pairs++;
                    assertThat(pair.group(2))
                            .as("%s for %s: the minimum counts the long window %s", alertName, slo, pair.group(1))
                            .isEqualTo(pair.group(1));
                    assertThat(Long.parseLong(pair.group(3)))
                            .as("%s for %s: the minimum of requests (orders.slo-min-requests)", alertName, slo)
                            .isEqualTo(minimum);
                }
                assertThat(pairs)
                        .as("window pairs of %s for %s with a minimum of requests:%n%s", alertName, slo, expr)
                        .isEqualTo(2);
            }
        }
    }

    @Test
    void theWebhookDeliveryBurnRateAlertsUseItsObjectiveAndTheFactorsOfTwentyEightDays() {
        assertFactors(
                "OrdersErrorBudgetBurnPage",
                WEBHOOK_DELIVERY,
                WEBHOOK_DELIVERY_OBJECTIVE,
                Map.of("13.44", List.of("1h", "5m"), "5.6", List.of("6h", "30m")));
        assertFactors(
                "OrdersErrorBudgetBurnTicket",
                WEBHOOK_DELIVERY,
                WEBHOOK_DELIVERY_OBJECTIVE,
                Map.of("2.8", List.of("1d", "2h"), "0.933", List.of("3d", "6h")));
        assertThat(recordedConstant("slo:orders_slo_objective:ratio", WEBHOOK_DELIVERY))
                .isEqualByComparingTo(WEBHOOK_DELIVERY_OBJECTIVE);
        assertThat(recordedConstant("slo:orders_slo_threshold:seconds", WEBHOOK_DELIVERY))
                .isEqualByComparingTo(WEBHOOK_DELIVERY_SECONDS);
    }

    @Test
    void theWebhookLagTicketWatchesTheServicesOwnBacklogAtTwiceTheDeliverySlo() {
        Map<String, Object> rule = alert("OrdersWebhookLagHigh", null);
        Matcher matcher = Pattern.compile("orders_webhook_lag_seconds\\{[^}]*status=\"pending\"[^}]*}\\) > (\\d+)")
                .matcher(str(rule, "expr"));
        assertThat(matcher.find())
                .as("pending lag over a bound in %s", str(rule, "expr"))
                .isTrue();
        assertThat(new BigDecimal(matcher.group(1)))
                .isEqualByComparingTo(WEBHOOK_DELIVERY_SECONDS.multiply(BigDecimal.valueOf(2)));
        assertThat(str(rule, "for")).isEqualTo("5m");
        assertThat(str(alert("OrdersWebhookDeadDeliveries", null), "expr")).contains("status=\"dead\"}) > 0");
        assertThat(str(alert("OrdersWebhookReceiverFailing", null), "expr"))
                .contains("outcome=\"failure\"}[1h])) > 0")
                .contains("unless on (namespace, subscription)")
                .contains("outcome=\"success\"}[1h])) > 0");
    }

    @Test
    void theWebhookGaugesAreTakenWithMaxNeverAddedUpOverThePods() {
        List<String> expressions = new ArrayList<>(PrometheusRules.expressions("prod"));
        expressions.addAll(GrafanaDashboard.expressions("prod"));
        int used = 0;
        for (String expr : expressions) {
            long uses = SHARED_GAUGE.matcher(expr).results().count();
            long maxed = MAX_OF_SHARED_GAUGE.matcher(expr).results().count();
            assertThat(maxed)
                    .as("uses of the webhook backlog and lag gauges inside max by (...) in %s", expr)
                    .isEqualTo(uses);
            used += (int) uses;
        }
        assertThat(used).as("uses of the webhook backlog and lag gauges").isGreaterThanOrEqualTo(4);
    }

    @Test
    void theLatencyCreepTicketUsesEachEndpointsThresholdAndAThirtyDayHorizon() {
        ServiceConfiguration service = ServiceConfiguration.read();
        Map<String, String> config = Kustomize.overlay("prod").config();
        for (String slo : service.sloNames()) {
            Duration threshold =
                    ServiceConfiguration.duration(service.effective(config, "orders.slo." + slo + ".threshold"));
            BigDecimal seconds = BigDecimal.valueOf(threshold.toMillis()).movePointLeft(3);
            Map<String, Object> rule = alert("OrdersLatencyCreep", slo);
            Matcher matcher = Pattern.compile("predict_linear\\(\\s*namespace_slo:orders_slo_latency_seconds:p99_rate1h"
                            + "\\{slo=\"" + Pattern.quote(slo) + "\"}\\[7d], 30 \\* 86400\\) > ([0-9.]+)")
                    .matcher(str(rule, "expr"));
            assertThat(matcher.find())
                    .as("predict_linear of %s's p99 in %s", slo, str(rule, "expr"))
                    .isTrue();
            assertThat(new BigDecimal(matcher.group(1)))
                    .as("threshold of %s", slo)
                    .isEqualByComparingTo(seconds);
            assertThat(recordedConstant("slo:orders_slo_threshold:seconds", slo))
                    .isEqualByComparingTo(seconds);
        }
        String p99 = PrometheusRules.rules("prod").stream()
                .filter(r -> "namespace_slo:orders_slo_latency_seconds:p99_rate1h".equals(r.get("record")))
                .map(r -> str(r, "expr"))
                .findFirst()
                .orElseThrow();
        assertThat(p99).contains("histogram_quantile(0.99,").contains("traffic=\"production\"");
    }

    @Test
    void theNumberSpaceAlertsUseTheServicesOwnLevels() {
        ServiceConfiguration service = ServiceConfiguration.read();
        Map<String, String> config = Kustomize.overlay("prod").config();
        assertLevels(
                alert("OrdersNumberSpaceLow", null),
                service.effective(config, "orders.capacity.warning-used-ratio"),
                service.effective(config, "orders.capacity.warning-eta"));
        assertLevels(
                alert("OrdersNumberSpaceCritical", null),
                service.effective(config, "orders.capacity.critical-used-ratio"),
                service.effective(config, "orders.capacity.critical-eta"));
        assertThat(str(alert("OrdersNumberSpaceCritical", null), "labels", "severity"))
                .isEqualTo("page");
        assertThat(str(alert("OrdersNumberSpaceLow", null), "labels", "severity"))
                .isEqualTo("ticket");
    }

    @Test
    void poolSaturationMeansConnectionsAwaitedForFiveMinutes() {
        Map<String, Object> rule = alert("OrdersPoolSaturated", null);
        assertThat(str(rule, "expr")).contains("agroal_awaiting_count{").contains("> 0");
        assertThat(str(rule, "for")).isEqualTo("5m");
    }

    private static void assertFactors(
            String alertName, String slo, BigDecimal objective, Map<String, List<String>> windowsByFactor) {
        String expr = str(alert(alertName, slo), "expr");
        Map<String, List<String>> seen = new java.util.TreeMap<>();
        for (String line : expr.split("\n")) {
            Matcher window =
                    Pattern.compile("ratio_rate(\\w+)\\{slo=\"([^\"]+)\"}").matcher(line);
            Matcher factor = FACTOR.matcher(line);
            if (window.find() && factor.find()) {
                assertThat(window.group(2))
                        .as("%s for %s: %s", alertName, slo, line)
                        .isEqualTo(slo);
                assertThat(new BigDecimal(factor.group(2)))
                        .as("objective in %s", line)
                        .isEqualByComparingTo(objective);
                seen.computeIfAbsent(factor.group(1), f -> new ArrayList<>()).add(window.group(1));
            }
        }
        assertThat(seen).as("%s for %s: factor -> windows", alertName, slo).isEqualTo(windowsByFactor);
    }

    private static void assertLevels(Map<String, Object> rule, String usedRatio, String eta) {
        String expr = str(rule, "expr");
        Matcher used = Pattern.compile("orders_number_space_used_ratio\\{[^}]*}\\) >= ([0-9.]+)")
                .matcher(expr);
        Matcher days = Pattern.compile("orders_number_space_exhaustion_eta_seconds\\{[^}]*}\\) < (\\d+) \\* 86400")
                .matcher(expr);
        assertThat(used.find()).as("used-ratio level in %s", expr).isTrue();
        assertThat(days.find()).as("ETA level in %s", expr).isTrue();
        assertThat(new BigDecimal(used.group(1))).isEqualByComparingTo(new BigDecimal(usedRatio));
        assertThat(Duration.ofDays(Long.parseLong(days.group(1)))).isEqualTo(ServiceConfiguration.duration(eta));
    }

    /** The alert of that name (and slo label, when given). */
    private static Map<String, Object> alert(String name, String slo) {
        List<Map<String, Object>> found = PrometheusRules.alerts("prod").stream()
                .filter(r -> name.equals(r.get("alert")) && (slo == null || slo.equals(str(r, "labels", "slo"))))
                .toList();
        assertThat(found)
                .as("alert %s%s", name, slo == null ? "" : " for " + slo)
                .hasSize(1);
        return found.get(0);
    }

    /** The value of a recording rule `vector(x)` labelled slo. */
    private static BigDecimal recordedConstant(String record, String slo) {
        String expr = PrometheusRules.rules("prod").stream()
                .filter(r -> record.equals(r.get("record")) && slo.equals(str(r, "labels", "slo")))
                .map(r -> str(r, "expr"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + record + " for " + slo));
        Matcher matcher = Pattern.compile("vector\\(([0-9.]+)\\)").matcher(expr);
        assertThat(matcher.find()).as(expr).isTrue();
        return new BigDecimal(matcher.group(1));
    }

    private static Map<String, Object> load(Path file) {
        try {
            return map(Kustomize.loadAll(Files.readString(file, StandardCharsets.UTF_8))
                    .get(0));
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    /** GitHub's anchors for the Markdown headings: lower case, punctuation dropped, spaces as hyphens. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new TreeSet<>();
        for (String line : markdown.split("\n")) {
            Matcher heading = Pattern.compile("^#{1,6}\\s+(.+?)\\s*$").matcher(line);
            if (heading.find()) {
                anchors.add(heading.group(1)
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9 _-]", "")
                        .replace(' ', '-'));
            }
        }
        return anchors;
    }
}
