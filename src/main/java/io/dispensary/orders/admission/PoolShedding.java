package io.dispensary.orders.admission;

import io.dispensary.orders.common.database.DatabaseOutages;
import io.dispensary.orders.common.database.PoolTimeout;
import io.dispensary.orders.common.problem.ApiProblem;
import io.dispensary.orders.common.problem.ProblemException;
import io.dispensary.orders.common.problem.ProblemTranslator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * The third gate of admission control: a request that waited longer than the acquisition timeout for a pooled
 * connection is shed with the same 503 {@code /problems/overloaded} as the other two ({@code reason="pool"}).
 */
@ApplicationScoped
public class PoolShedding implements ProblemTranslator {

    /** Overload passes in seconds: a client should come back soon, just not at once. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final Counter shed;
    private final DatabaseOutages outages;

    public PoolShedding(MeterRegistry registry, DatabaseOutages outages) {
        this.outages = outages;
        this.shed = Counter.builder("orders.shed")
                .description(Admission.SHED_HELP)
                .tag("reason", "pool")
                .register(registry);
    }

    /** The problem every gate answers with: nothing was stored, so a retry with the same key is safe. */
    static ApiProblem overloaded(String detail) {
        return new ApiProblem(503, "overloaded", "Service overloaded", detail).retryAfter(RETRY_AFTER);
    }

    @Override
    public Optional<ProblemException> translate(Throwable failure, String path) {
        if (!PoolTimeout.in(failure)) {
            return Optional.empty();
        }
        // Shed, loudly but without a stack per request: the pool metrics and this count tell the story.
        shed.increment();
        outages.poolShed(path);
        return Optional.of(
                overloaded("The service is at its database capacity; nothing was stored. Retry after " + "the delay."));
    }
}
