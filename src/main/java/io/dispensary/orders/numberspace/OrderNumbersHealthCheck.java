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
                    .withData(prefix + "eta", usage.eta() == null ? "none (idle)" : readable(usage.eta()));
            if (usage.eta() != null) {
                // For machines: whole seconds, as the exhaustion_eta_seconds gauge, and the ISO-8601 form the
                // eta field used to carry.
                response.withData(prefix + "etaSeconds", usage.eta().toSeconds())
                        .withData(prefix + "etaIso", usage.eta().toString());
            }
            response.withData(prefix + "level", usage.level().name().toLowerCase(java.util.Locale.ROOT));
            if (namespace == Namespace.PRODUCTION) {
                worst = usage.level().name().toLowerCase(java.util.Locale.ROOT);
            }
        }
        return response.withData("level", worst).build();
    }

    private static final long MINUTE = 60;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    /** The Gregorian year's average, so that centuries of ETA do not drift by days. */
    private static final long YEAR = 31_556_952;

    private static final long MONTH = YEAR / 12;

    private static final long[] UNITS = {YEAR, MONTH, DAY, HOUR, MINUTE, 1};
    private static final String[] NAMES = {"year", "month", "day", "hour", "minute", "second"};

    /**
     * An ETA as a person reads it: its two largest units, rounded down, e.g. {@code 294 years 9 months},
     * {@code 3 days 4 hours}, {@code 45 seconds}.
     */
    static String readable(java.time.Duration eta) {
        long left = Math.max(0, eta.toSeconds());
        StringBuilder text = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < UNITS.length && shown < 2; i++) {
            long count = left / UNITS[i];
            if (count == 0 && shown == 0 && i < UNITS.length - 1) {
                continue;
            }
            left -= count * UNITS[i];
            shown++;
            if (count == 0) {
                break; // "3 days" rather than "3 days 0 hours"
            }
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(count).append(' ').append(NAMES[i]).append(count == 1 ? "" : "s");
        }
        return text.isEmpty() ? "0 seconds" : text.toString();
    }
}
