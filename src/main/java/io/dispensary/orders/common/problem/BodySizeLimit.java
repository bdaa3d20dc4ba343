package io.dispensary.orders.common.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a body over the limit (quarkus.http.limits.max-body-size) with a 413 problem: a declared one before
 * anything reads it, a chunked one as soon as it goes over. Left to Quarkus REST, a chunked body over the limit
 * got an empty 413, and an error logged with a stack trace.
 */
@ApplicationScoped
public class BodySizeLimit {

    private static final String PROBLEM = """
            {"type":"/problems/payload-too-large","title":"Payload Too Large","status":413,\
            "detail":"The body is larger than the %d bytes the service accepts."}""";

    private final long limit;
    private final BodyHandler undeclaredBodies;

    public BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        this.limit = limit.asLongValue();
        this.undeclaredBodies = BodyHandler.create(false).setBodyLimit(this.limit);
    }

    void install(@Observes Router router) {
        // Before every other route, including the body handler that would cut the connection.
        router.route().order(Integer.MIN_VALUE).handler(this::rejectOversizedBodies);
        // Quarkus REST takes a body already read from the routing context; reading a chunked one here, up to the
        // limit, lets going over it fail the route, which the failure handler answers.
        router.route()
                .order(Integer.MIN_VALUE + 1)
                .handler(this::readUndeclaredBodies)
                .failureHandler(this::answerOversizedBodies);
    }

    void readUndeclaredBodies(RoutingContext context) {
        if (context.request().getHeader(HttpHeaders.CONTENT_LENGTH) == null
                && context.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            undeclaredBodies.handle(context);
        } else {
            context.next();
        }
    }

    void answerOversizedBodies(RoutingContext context) {
        if (context.statusCode() != 413 || context.response().headWritten()) {
            context.next();
            return;
        }
        context.response()
                .setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(PROBLEM.formatted(limit));
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
                context.response()
                        .setStatusCode(status)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(body);
                return;
            }
        }
        context.next();
    }
}
