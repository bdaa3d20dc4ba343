package io.dispensary.orders.common.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a declared body over the limit with a 413 problem before anything reads it. Vert.x enforces the
 * same limit (quarkus.http.limits.max-body-size) on chunked bodies, but answers those with an empty 413.
 */
@ApplicationScoped
public class BodySizeLimit {

    private static final String PROBLEM = """
            {"type":"/problems/payload-too-large","title":"Payload Too Large","status":413,\
            "detail":"The body is larger than the %d bytes the service accepts."}""";

    private final long limit;

    public BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    void install(@Observes Router router) {
        // Before every other route, including the body handler that would cut the connection.
        router.route().order(Integer.MIN_VALUE).handler(this::rejectOversizedBodies);
    }

    void rejectOversizedBodies(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length < 0 || length > limit) {
                int status = length < 0 ? 400 : 413;
                String body = length < 0
                        ? "{\"type\":\"/problems/bad-request\",\"title\":\"Bad Request\",\"status\":400,"
                                + "\"detail\":\"The Content-Length header is not a number.\"}"
                        : PROBLEM.formatted(limit);
                context.response().setStatusCode(status)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(body);
                return;
            }
        }
        context.next();
    }
}
