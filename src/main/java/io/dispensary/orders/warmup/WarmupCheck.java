package io.dispensary.orders.warmup;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The {@code warm-up} readiness check: DOWN from start-up until the warm-up's rehearsals are done (or its timeout
 * passed), UP ever after, and UP at once when the warm-up is off. It never turns DOWN again, so it can never take
 * a serving pod out of the Service.
 */
@Readiness
@ApplicationScoped
public class WarmupCheck implements HealthCheck {

    static final String NAME = "warm-up";

    private final Warmup warmup;

    public WarmupCheck(Warmup warmup) {
        this.warmup = warmup;
    }

    @Override
    public HealthCheckResponse call() {
        Warmup.State state = warmup.state();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .status(state == Warmup.State.OFF || state == Warmup.State.DONE)
                .withData("state", state.name().toLowerCase(java.util.Locale.ROOT));
        Warmup.Outcome outcome = warmup.outcome();
        if (outcome != null) {
            response.withData("rehearsed", outcome.created())
                    .withData("failed", outcome.failed())
                    .withData("millis", outcome.millis());
        }
        return response.build();
    }
}
