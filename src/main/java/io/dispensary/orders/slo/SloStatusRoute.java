package io.dispensary.orders.slo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code GET /q/slo} on the management interface: each critical endpoint's SLO state, burn rates, error budget
 * and latency trend, computed in-process. It informs; it never fails a probe (SLO burn is for alerts, not for
 * taking pods out of service).
 */
@ApplicationScoped
public class SloStatusRoute {

    private final CriticalEndpoints endpoints;
    private final ObjectMapper json;

    private final boolean managementEnabled;

    public SloStatusRoute(
            CriticalEndpoints endpoints,
            ObjectMapper json,
            @ConfigProperty(name = "quarkus.management.enabled", defaultValue = "false") boolean managementEnabled) {
        this.endpoints = endpoints;
        this.json = json;
        this.managementEnabled = managementEnabled;
    }

    void install(@Observes ManagementInterface management) {
        install(management.router());
    }

    /** Without a management interface, /q/slo sits on the main port with health and metrics. */
    void installOnMainRouter(@Observes Router router) {
        if (!managementEnabled) {
            install(router);
        }
    }

    private void install(Router router) {
        router.get("/q/slo").handler(context -> {
            try {
                context.response().putHeader("Content-Type", "application/json").end(json.writeValueAsString(status()));
            } catch (JsonProcessingException e) {
                context.fail(e);
            }
        });
    }

    Map<String, SloStatus> status() {
        return endpoints.trackers().stream()
                .collect(Collectors.toMap(SloTracker::name, SloTracker::status, (a, b) -> a, java.util.TreeMap::new));
    }
}
