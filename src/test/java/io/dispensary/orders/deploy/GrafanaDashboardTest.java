package io.dispensary.orders.deploy;

import static io.dispensary.orders.deploy.Manifests.str;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The dashboard reaches Grafana through the sidecar and shows, per critical endpoint, the SLO, the budget left,
 * the burn rates and the latency percentiles; the number space and its ETA; the pool's active and awaiting; the
 * webhooks' lag, backlog, attempts, deliveries and delivery SLO.
 */
class GrafanaDashboardTest {

    static final List<String> OVERLAYS = Kustomize.OVERLAYS;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theDashboardIsAConfigMapTheGrafanaSidecarPicksUp(String overlay) {
        Map<String, Object> configMap = GrafanaDashboard.configMap(overlay);
        assertThat(str(configMap, "metadata", "labels", "grafana_dashboard")).isEqualTo("1");
        JsonNode dashboard = GrafanaDashboard.json(overlay);
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("panels").size()).isPositive();
    }

    @Test
    void eachCriticalEndpointGetsItsSloBudgetBurnRatesAndLatencyPercentiles() {
        JsonNode dashboard = GrafanaDashboard.json("prod");
        // One row per endpoint: a row repeated over $slo, whose values are the service's slo label.
        JsonNode slo = variable(dashboard, "slo");
        assertThat(slo.path("query").path("query").asText())
                .contains("orders_slo_requests_total")
                .endsWith(", slo)");
        assertThat(slo.path("includeAll").asBoolean()).isTrue();
        List<JsonNode> row = rowRepeatedOver(dashboard, "slo");
        String exprs = String.join("\n", expressionsOf(row));

        assertThat(exprs).as("the SLO").contains("slo:orders_slo_objective:ratio{slo=\"$slo\"}");
        assertThat(exprs)
                .as("error budget left over the 28-day period")
                .contains("increase(orders_slo_requests_total{")
                .contains("result=\"bad\"}[28d]")
                .contains("/ (1 - scalar(slo:orders_slo_objective:ratio{slo=\"$slo\"}))");
        for (String window : PrometheusRuleTest.WINDOWS) {
            assertThat(exprs)
                    .as("burn rate over %s", window)
                    .contains("namespace_slo:orders_slo_requests_bad:ratio_rate" + window + "{");
        }
        for (String quantile : List.of("0.5", "0.9", "0.99")) {
            assertThat(exprs)
                    .as("p%s latency", quantile)
                    .contains("histogram_quantile(" + quantile
                            + ", sum by (le) (rate(orders_slo_latency_seconds_bucket{");
        }
        assertThat(exprs).contains("traffic=\"production\"").contains("slo:orders_slo_threshold:seconds");
    }

    @Test
    void theNumberSpaceShowsUsedAndItsEtaAndThePoolActiveAndAwaiting() {
        String exprs = String.join("\n", GrafanaDashboard.expressions("prod"));
        assertThat(exprs)
                .contains(
                        "orders_number_space_used_ratio{",
                        "orders_number_space_exhaustion_eta_seconds{",
                        "by (number_space)",
                        "agroal_active_count{",
                        "agroal_awaiting_count{");
    }

    @Test
    void theWebhooksShowLagBacklogAttemptsDeliveriesAndTheDeliverySlo() {
        String exprs = String.join("\n", GrafanaDashboard.expressions("prod"));
        assertThat(exprs)
                .contains(
                        "max by (subscription, status) (orders_webhook_lag_seconds{",
                        "sum by (status) (max by (subscription, status) (orders_webhook_backlog{",
                        "sum by (outcome) (rate(orders_webhook_attempts_total{",
                        "sum by (result) (rate(orders_webhook_deliveries_total{",
                        "namespace_slo:orders_slo_requests_bad:ratio_rate5m{namespace=\"$namespace\", slo=\""
                                + PrometheusRuleTest.WEBHOOK_DELIVERY + "\"}",
                        "slo:orders_slo_objective:ratio{slo=\"" + PrometheusRuleTest.WEBHOOK_DELIVERY + "\"}");
    }

    @Test
    void everyRecordedSeriesTheDashboardQueriesIsRecordedByThePrometheusRule() {
        Set<String> recorded = new TreeSet<>();
        PrometheusRules.rules("prod").forEach(r -> {
            if (r.get("record") != null) {
                recorded.add(r.get("record").toString());
            }
        });
        Set<String> used = new TreeSet<>();
        Matcher matcher = Pattern.compile("[a-z_]+:[a-z0-9_]+:[a-z0-9_]+")
                .matcher(String.join("\n", GrafanaDashboard.expressions("prod")));
        while (matcher.find()) {
            used.add(matcher.group());
        }
        assertThat(used).isNotEmpty();
        assertThat(recorded).containsAll(used);
    }

    private static JsonNode variable(JsonNode dashboard, String name) {
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (name.equals(variable.path("name").asText())) {
                return variable;
            }
        }
        throw new AssertionError("no dashboard variable " + name);
    }

    /** The panels of the row repeated over a variable: those after it, up to the next row. */
    private static List<JsonNode> rowRepeatedOver(JsonNode dashboard, String variable) {
        List<JsonNode> panels = new ArrayList<>();
        boolean inside = false;
        for (JsonNode panel : dashboard.path("panels")) {
            if ("row".equals(panel.path("type").asText())) {
                inside = variable.equals(panel.path("repeat").asText());
                continue;
            }
            if (inside) {
                panels.add(panel);
            }
        }
        assertThat(panels).as("panels of the row repeated over $%s", variable).isNotEmpty();
        return panels;
    }

    private static List<String> expressionsOf(List<JsonNode> panels) {
        List<String> expressions = new ArrayList<>();
        panels.forEach(p -> p.findValues("expr").forEach(e -> expressions.add(e.asText())));
        return expressions;
    }
}
