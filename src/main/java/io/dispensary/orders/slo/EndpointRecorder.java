package io.dispensary.orders.slo;

import io.dispensary.orders.common.RequestTags;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * Times every request of a critical endpoint from the moment Vert.x routes it to the moment its response ends,
 * so the measure includes authentication, JSON and the database, as a client sees it (less the network).
 */
@ApplicationScoped
public class EndpointRecorder {

    private final CriticalEndpoints endpoints;

    public EndpointRecorder(CriticalEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    void install(@Observes Router router) {
        // Right after the body-size guard, before everything else.
        router.route().order(Integer.MIN_VALUE + 1).handler(this::time);
    }

    void time(RoutingContext context) {
        String path = context.normalizedPath();
        endpoints.match(context.request().method().name(), path).ifPresent(endpoint -> {
            long start = System.nanoTime();
            context.addEndHandler(ended -> {
                if (Boolean.TRUE.equals(context.get(RequestTags.REHEARSAL))) {
                    // The warm-up's own request before this instance took traffic: no client saw it.
                    return;
                }
                Duration latency = Duration.ofNanos(System.nanoTime() - start);
                int status = context.response().getStatusCode();
                boolean test = Boolean.TRUE.equals(context.get(RequestTags.TEST_TRAFFIC)) || path.endsWith("-T");
                boolean replayed = "true".equals(context.response().headers().get("Idempotent-Replayed"));
                endpoints.served(endpoint, latency, status, test, replayed, context.get(RequestTags.PROBLEM));
            });
        });
        context.next();
    }
}
