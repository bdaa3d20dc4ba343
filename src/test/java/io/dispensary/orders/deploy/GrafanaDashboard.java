package io.dispensary.orders.deploy;

import static io.dispensary.orders.deploy.Manifests.map;
import static io.dispensary.orders.deploy.Manifests.str;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Grafana dashboard as rendered into its ConfigMap. */
final class GrafanaDashboard {

    private GrafanaDashboard() {}

    static Map<String, Object> configMap(String overlay) {
        return Kustomize.overlay(overlay).named("ConfigMap", "order-service-dashboard");
    }

    static JsonNode json(String overlay) {
        Map<String, Object> data = map(configMap(overlay), "data");
        assertThat(data).hasSize(1);
        String key = data.keySet().iterator().next();
        assertThat(key).endsWith(".json");
        try {
            return new ObjectMapper().readTree(str(data, key));
        } catch (Exception e) {
            throw new AssertionError("the dashboard in the ConfigMap is not JSON: " + e.getMessage(), e);
        }
    }

    /** Every PromQL expression of the dashboard: panel targets and template variable queries. */
    static List<String> expressions(String overlay) {
        List<String> expressions = new ArrayList<>();
        json(overlay).findValues("expr").forEach(n -> expressions.add(n.asText()));
        json(overlay).path("templating").path("list").forEach(v -> {
            if (v.path("query").isObject()) {
                expressions.add(v.path("query").path("query").asText());
            }
        });
        return expressions;
    }
}
