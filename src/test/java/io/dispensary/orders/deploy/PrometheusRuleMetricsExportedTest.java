package io.dispensary.orders.deploy;

import static io.dispensary.orders.deploy.Manifests.at;
import static io.dispensary.orders.deploy.Manifests.list;
import static io.dispensary.orders.deploy.Manifests.str;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.dispensary.orders.order.OrderFixtures;
import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the dashboard query metrics the running service really exports, under those names and
 * with those label values, and the Deployment probes paths it really serves: checked against a scrape of the
 * service after real requests, not against a list kept by hand.
 */
@QuarkusTest
class PrometheusRuleMetricsExportedTest {

    private static final Tenants TENANTS = Tenants.local();

    /**
     * Labels Prometheus sets on every scraped series (prometheus-operator target labels): a rule may match on
     * them, the service never exports them. number_space is the service's `namespace` label, renamed by the
     * ServiceMonitor because the target label namespace takes that name.
     */
    private static final Set<String> TARGET_LABELS =
            Set.of("job", "namespace", "pod", "instance", "service", "endpoint", "container");

    private static final Map<String, String> RENAMED = Map.of("number_space", "namespace");

    /** What Prometheus asks for when it scrapes: OpenMetrics first, the classic text format as a fallback. */
    static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? \\S+.*$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * How long the webhook meters may take to show up: the backlog and lag gauges are read from PostgreSQL every
     * 15 s, and the receiver's first answer is a failure, retried after the schedule's first step (5 s by
     * default).
     */
    private static final Duration WEBHOOK_METERS_WAIT = Duration.ofSeconds(30);

    private Map<String, List<Map<String, String>>> scrape;
    private HttpServer receiver;
    private String subscription;

    @BeforeEach
    void serveSomeRequestsAndScrape() throws IOException, InterruptedException {
        // A create and a read (both critical endpoints), and a malformed order number (a 400 from the problem
        // mappers, which also own the shed counter).
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        // The webhook meters carry a subscription label, so they exist only once a subscription has had a
        // delivery: subscribe a receiver first, so the create below is delivered to it.
        subscribeAReceiver(dispensary);
        String location = TENANTS.as(key)
                .contentType(ContentType.JSON)
                .body(OrderFixtures.pickup(dispensary))
                .post("/orders")
                .then()
                .statusCode(201)
                .extract()
                .header("Location");
        TENANTS.as(key)
                .get(location.substring(location.indexOf("/orders/")))
                .then()
                .statusCode(200);
        TENANTS.as(key).get("/orders/not-a-number").then().statusCode(400);

        scrape = scrapeOnceTheWebhookMetersAreThere();
    }

    @AfterEach
    void unsubscribeAndStopTheReceiver() {
        // Deleting cancels what is still pending, so no retries outlive this test and reach a stopped receiver.
        if (subscription != null) {
            TENANTS.admin().delete("/admin/webhooks/" + subscription).then().statusCode(204);
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    /**
     * Starts a receiver on a free loopback port that fails the first delivery (a 500, so attempts with
     * outcome="failure" exist) and accepts every later one with a 204, and subscribes it to the dispensary's
     * order events.
     */
    private void subscribeAReceiver(String dispensary) throws IOException {
        AtomicInteger received = new AtomicInteger();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            try {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(received.getAndIncrement() == 0 ? 500 : 204, -1);
            } finally {
                exchange.close();
            }
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        subscription = TENANTS.admin()
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "dispensaryId",
                        dispensary,
                        "url",
                        url,
                        "events",
                        List.of("order.created", "order.status_changed"),
                        "includeTest",
                        false))
                .post("/admin/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /**
     * Scrapes until every webhook family the rules and the dashboard name is there (attempts after the first
     * delivery, deliveries after the retry, the gauges after their next refresh), or the wait is over; the
     * tests then say what is missing.
     */
    private static Map<String, List<Map<String, String>>> scrapeOnceTheWebhookMetersAreThere()
            throws InterruptedException {
        Set<String> webhookFamilies = new TreeSet<>();
        queries().forEach(q -> PrometheusRules.metricNames(q).stream()
                .filter(name -> name.startsWith("orders_webhook_"))
                .forEach(webhookFamilies::add));
        long deadline = System.nanoTime() + WEBHOOK_METERS_WAIT.toNanos();
        while (true) {
            Map<String, List<Map<String, String>>> samples = parse(given().header("Accept", PROMETHEUS_ACCEPT)
                    .get(Management.url("/q/metrics"))
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
            boolean attemptsBothWays = samples.getOrDefault("orders_webhook_attempts_total", List.of()).stream()
                            .map(labels -> labels.get("outcome"))
                            .distinct()
                            .count()
                    >= 2;
            if ((samples.keySet().containsAll(webhookFamilies) && attemptsBothWays) || System.nanoTime() > deadline) {
                return samples;
            }
            Thread.sleep(250);
        }
    }

    @Test
    void everyOrdersFamilyHasAHelpTextAndTheShedCounterNamesEveryReason() {
        String text = given().header("Accept", "text/plain;version=0.0.4")
                .get(Management.url("/q/metrics"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Map<String, String> help = new HashMap<>();
        Set<String> families = new TreeSet<>();
        for (String line : text.split("\n")) {
            Matcher helpLine = Pattern.compile("^# HELP (\\S+) ?(.*)$").matcher(line);
            Matcher typeLine = Pattern.compile("^# TYPE (\\S+) ").matcher(line);
            if (helpLine.find()) {
                help.put(helpLine.group(1), helpLine.group(2).trim());
            } else if (typeLine.find() && typeLine.group(1).startsWith("orders_")) {
                families.add(typeLine.group(1));
            }
        }
        // The families the issue names, so an empty parse cannot pass.
        assertThat(families).contains("orders_shed_total", "orders_slo_requests_total", "orders_webhook_backlog");
        assertThat(families).allSatisfy(family -> assertThat(help.get(family))
                .as("HELP of %s", family)
                .isNotBlank()
                .isNotEqualTo(family));
        // One HELP per family whichever gate registered first: it used to say only "in-flight limit".
        assertThat(help.get("orders_shed_total")).contains("overloaded", "queued", "pool");
    }

    /**
     * {@code promtool check metrics} on the scrape in both formats Prometheus asks for: it parses, and no finding
     * names one of the service's own meters (the JVM's and Quarkus's are not ours to rename).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {"text/plain;version=0.0.4", "application/openmetrics-text; version=1.0.0; charset=utf-8"})
    void promtoolParsesTheScrapeAndFindsNothingInTheOrdersMeters(String accept) throws IOException {
        String body = given().header("Accept", accept)
                .get(Management.url("/q/metrics"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(body).contains("# TYPE orders_shed");
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(PrometheusRules.WORK);
        java.nio.file.Path file = dir.resolve("scrape-" + accept.replaceAll("[^a-z0-9]+", "-") + ".txt");
        java.nio.file.Files.writeString(file, body);
        Kustomize.ProcessResult check = PrometheusRules.promtoolReading(file, "check", "metrics");
        System.out.printf("promtool check metrics (%s), exit %d:%n%s%n", accept, check.exitCode(), check.output());
        assertThat(check.output()).as("promtool check metrics on %s", file).doesNotContain("error while linting");
        // promtool (2.42) lints with the classic text parser: in OpenMetrics a counter's HELP is on its family
        // (orders_shed), its samples are orders_shed_total, so it reports "orders_shed_total no help text".
        // Only that artefact is forgiven, and only where the family's HELP is there.
        List<String> findings = check.output()
                .lines()
                .filter(line -> line.startsWith("orders_"))
                .filter(line -> !(line.matches("orders_\\w+_total no help text")
                        && body.contains("# HELP " + line.substring(0, line.indexOf("_total ")) + " ")))
                .toList();
        assertThat(findings)
                .as("promtool findings on the orders_* meters in %s", accept)
                .isEmpty();
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardQueryIsExported() {
        Set<String> names = new TreeSet<>();
        queries().forEach(q -> names.addAll(PrometheusRules.metricNames(q)));
        // The families the issue names, so an empty parse cannot pass.
        assertThat(names)
                .contains(
                        "orders_slo_requests_total",
                        "orders_slo_latency_seconds_bucket",
                        "orders_slo_latency_seconds_count",
                        "orders_number_space_used_ratio",
                        "orders_number_space_exhaustion_eta_seconds",
                        "agroal_awaiting_count",
                        "agroal_active_count",
                        "orders_webhook_attempts_total",
                        "orders_webhook_deliveries_total",
                        "orders_webhook_backlog",
                        "orders_webhook_lag_seconds");
        assertThat(names).allSatisfy(name -> assertThat(scrape)
                .as("%s in the service's /q/metrics", name)
                .containsKey(name));
    }

    @Test
    void everyLabelValueTheAlertsAndTheDashboardMatchIsExported() {
        List<PrometheusRules.Selector> selectors = new ArrayList<>();
        queries().forEach(q -> selectors.addAll(PrometheusRules.selectors(q)));
        assertThat(selectors).isNotEmpty();
        for (PrometheusRules.Selector selector : selectors) {
            Map<String, String> wanted = new HashMap<>();
            selector.equals().forEach((label, value) -> {
                if (value.contains("$")) {
                    return; // a dashboard variable
                }
                if (RENAMED.containsKey(label)) {
                    wanted.put(RENAMED.get(label), value);
                } else if (!TARGET_LABELS.contains(label)) {
                    wanted.put(label, value);
                }
            });
            assertThat(scrape.getOrDefault(selector.metric(), List.of()))
                    .as("a sample of %s with %s (from %s)", selector.metric(), wanted, selector)
                    .anySatisfy(labels -> assertThat(labels).containsAllEntriesOf(wanted));
        }
    }

    @Test
    void theServiceMonitorRenamesEveryScrapedLabelThatATargetLabelWouldTake() {
        Set<String> clashing = new TreeSet<>();
        scrape.values()
                .forEach(samples -> samples.forEach(labels ->
                        labels.keySet().stream().filter(TARGET_LABELS::contains).forEach(clashing::add)));
        assertThat(clashing).as("the number-space gauges' namespace label").contains("namespace");
        Map<String, Object> monitor = Kustomize.overlay("prod").named("ServiceMonitor", "order-service");
        List<Object> relabelings = list(monitor, "spec", "endpoints", 0, "metricRelabelings");
        for (String label : clashing) {
            assertThat(relabelings)
                    .as("a metricRelabeling of exported_%s", label)
                    .anySatisfy(r -> assertThat(list(r, "sourceLabels")).containsExactly("exported_" + label));
        }
    }

    @Test
    void theDeploymentsProbesAndTheServiceMonitorAnswerOnTheManagementPort() {
        for (String overlay : Kustomize.OVERLAYS) {
            Manifests manifests = Kustomize.overlay(overlay);
            Map<String, Object> container = manifests.container();
            for (String probe : KustomizeOverlaysTest.PROBE_PATHS.keySet()) {
                String path = str(container, probe, "httpGet", "path");
                given().get(Management.url(path)).then().statusCode(200);
            }
            Object metricsPath = at(manifests.named("ServiceMonitor", "order-service"), "spec", "endpoints", 0, "path");
            given().header("Accept", PROMETHEUS_ACCEPT)
                    .get(Management.url(String.valueOf(metricsPath)))
                    .then()
                    .statusCode(200)
                    .body(org.hamcrest.Matchers.containsString("# TYPE orders_slo_requests"));
        }
    }

    /** The expressions of the prod rules and of the dashboard. */
    private static List<String> queries() {
        List<String> queries = new ArrayList<>(PrometheusRules.expressions("prod"));
        queries.addAll(GrafanaDashboard.expressions("prod"));
        return queries;
    }

    /** Metric name -> the label sets of its samples, from Prometheus text format. */
    static Map<String, List<Map<String, String>>> parse(String text) {
        Map<String, List<Map<String, String>>> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.computeIfAbsent(sample.group(1), k -> new ArrayList<>()).add(labels);
        }
        return samples;
    }
}
