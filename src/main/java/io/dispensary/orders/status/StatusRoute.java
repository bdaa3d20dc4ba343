package io.dispensary.orders.status;

import io.dispensary.orders.admission.Admission;
import io.dispensary.orders.admission.PoolFit;
import io.dispensary.orders.common.OrdersConfig;
import io.dispensary.orders.numberspace.NumberSpaceMonitor;
import io.dispensary.orders.numberspace.NumberSpaceUsage;
import io.dispensary.orders.ordernumber.Namespace;
import io.dispensary.orders.slo.CriticalEndpoints;
import io.dispensary.orders.slo.SloStatus;
import io.dispensary.orders.slo.SloTracker;
import io.dispensary.orders.webhook.WebhookMonitor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code GET /q/status} on the management interface: the SRE status page. It reads only what /q/slo and the meters
 * read (the SLO trackers, the number-space snapshot, the admission and pool gauges, the last webhook backlog read),
 * all in memory, so it costs no database round trip and can be reloaded at will.
 */
@ApplicationScoped
public class StatusRoute {

    /** No script, font, frame or fetch: styles inline, pictures are inline SVG. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:;"
            + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final CriticalEndpoints endpoints;
    private final NumberSpaceMonitor numberSpace;
    private final OrdersConfig.Capacity capacity;
    private final Admission admission;
    private final PoolFit poolFit;
    private final WebhookMonitor webhooks;
    private final MeterRegistry registry;
    private final Clock clock;
    private final boolean managementEnabled;

    public StatusRoute(
            CriticalEndpoints endpoints,
            NumberSpaceMonitor numberSpace,
            OrdersConfig config,
            Admission admission,
            PoolFit poolFit,
            WebhookMonitor webhooks,
            MeterRegistry registry,
            Clock clock,
            @ConfigProperty(name = "quarkus.management.enabled", defaultValue = "false") boolean managementEnabled) {
        this.endpoints = endpoints;
        this.numberSpace = numberSpace;
        this.capacity = config.capacity();
        this.admission = admission;
        this.poolFit = poolFit;
        this.webhooks = webhooks;
        this.registry = registry;
        this.clock = clock;
        this.managementEnabled = managementEnabled;
    }

    void install(@Observes ManagementInterface management) {
        install(management.router());
    }

    /** Without a management interface, /q/status sits on the main port with /q/slo, health and metrics. */
    void installOnMainRouter(@Observes Router router) {
        if (!managementEnabled) {
            install(router);
        }
    }

    private void install(Router router) {
        router.get("/q/status").handler(context -> context.response()
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .end(StatusPage.render(snapshot())));
    }

    StatusPage.Snapshot snapshot() {
        // In /q/slo's order: by name.
        List<SloStatus> slos = endpoints.trackers().stream()
                .sorted(Comparator.comparing(SloTracker::name))
                .map(SloTracker::status)
                .toList();
        Map<String, NumberSpaceUsage> spaces = new LinkedHashMap<>();
        for (Namespace namespace : Namespace.values()) {
            spaces.put(namespace.label(), numberSpace.usage(namespace));
        }
        return new StatusPage.Snapshot(
                clock.instant(),
                slos,
                spaces,
                capacity.warningUsedRatio(),
                capacity.criticalUsedRatio(),
                pool(),
                webhooks.lag());
    }

    private StatusPage.Pool pool() {
        Map<String, Double> shed = new TreeMap<>();
        for (Counter counter : registry.find("orders.shed").counters()) {
            shed.merge(counter.getId().getTag("reason"), counter.count(), Double::sum);
        }
        return new StatusPage.Pool(
                poolFit.poolMax(),
                gauge("agroal.active.count"),
                gauge("agroal.available.count"),
                gauge("agroal.awaiting.count"),
                gauge("agroal.max.used.count"),
                gauge("orders.requests.in.flight"),
                admission.limit(),
                admission.workers(),
                shed);
    }

    /** A gauge's value, summed over its series (one per datasource); NaN when nothing registered it. */
    private double gauge(String name) {
        var gauges = registry.find(name).gauges();
        return gauges.isEmpty()
                ? Double.NaN
                : gauges.stream().mapToDouble(Gauge::value).sum();
    }
}
