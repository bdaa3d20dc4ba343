package io.dispensary.orders.common;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the application knows about a request that the endpoint recorder, which sees only HTTP, needs: that it
 * was a test order (measured apart, never counted toward an SLO), a rehearsal of the warm-up (not measured at all)
 * and which problem type answered it.
 */
@ApplicationScoped
public class RequestTags {

    public static final String TEST_TRAFFIC = "orders.slo.test-traffic";
    public static final String PROBLEM = "orders.slo.problem";
    public static final String REHEARSAL = "orders.slo.rehearsal";

    private final CurrentVertxRequest request;

    public RequestTags(CurrentVertxRequest request) {
        this.request = request;
    }

    /** Marks the current request as test traffic. */
    public void markTest() {
        put(TEST_TRAFFIC, Boolean.TRUE);
    }

    /** Marks the current request as one of the warm-up's rehearsals (see {@link Rehearsal}): counted nowhere. */
    public void markRehearsal() {
        put(REHEARSAL, Boolean.TRUE);
    }

    /** Records the problem type that answered the current request, a low-cardinality reason for metrics. */
    public void problem(String slug) {
        put(PROBLEM, slug);
    }

    /** The same, for code that handles the request on its route, before any resource. */
    public static void problem(RoutingContext context, String slug) {
        context.put(PROBLEM, slug);
    }

    private void put(String key, Object value) {
        RoutingContext context = request.getCurrent();
        if (context != null) {
            context.put(key, value);
        }
    }
}
