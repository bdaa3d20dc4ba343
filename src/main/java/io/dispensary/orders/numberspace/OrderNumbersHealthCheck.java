package io.dispensary.orders.numberspace;

import io.dispensary.orders.ordernumber.Namespace;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * The {@code order-numbers} check: always UP, so it can never take a pod out of service, but reports per
 * namespace the used ratio, the ETA and a level (ok, warning, critical) for people and dashboards. It is a
 * wellness check (/q/health, /q/health/well), outside the liveness and readiness probes.
 */
@Wellness
@ApplicationScoped
public class OrderNumbersHealthCheck implements HealthCheck {

    private final NumberSpaceMonitor monitor;

    public OrderNumbersHealthCheck(NumberSpaceMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("order-numbers").up();
        String worst = "ok";
        for (Namespace namespace : Namespace.values()) {
            NumberSpaceUsage usage = monitor.usage(namespace);
            if (usage == null) {
                response.withData(namespace.label() + ".level", "unknown");
                continue;
            }
            String prefix = namespace.label() + ".";
            response.withData(prefix + "digits", usage.digits())
                    .withData(prefix + "issued", usage.issued())
                    .withData(prefix + "capacity", usage.capacity())
                    .withData(prefix + "usedRatio", String.format(java.util.Locale.ROOT, "%.6f", usage.usedRatio()))
                    .withData(
                            prefix + "eta",
                            usage.eta() == null ? "none (idle)" : usage.eta().toString())
                    .withData(prefix + "level", usage.level().name().toLowerCase(java.util.Locale.ROOT));
            if (namespace == Namespace.PRODUCTION) {
                worst = usage.level().name().toLowerCase(java.util.Locale.ROOT);
            }
        }
        return response.withData("level", worst).build();
    }
}
