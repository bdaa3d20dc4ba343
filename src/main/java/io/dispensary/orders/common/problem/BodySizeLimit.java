package io.dispensary.orders.common.problem;

import io.dispensary.orders.common.Causes;
import io.dispensary.orders.common.LogEvery;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Answers a body over the limit (quarkus.http.limits.max-body-size) with a 413 problem: a declared one before
 * anything reads it, a chunked one as soon as it goes over. Left to Quarkus REST, a chunked body over the limit
 * got an empty 413, and an error logged with a stack trace.
 *
 * <p>It also answers a chunked body whose framing Netty refuses (a chunk size that is not hex): that got no answer
 * and two ERRORs with a 34-line stack each, a log flood anyone could send without a key. Now it is a 400 problem
 * when the connection still takes one, and one WARN line per 10 s with the count, without a stack.
 */
@ApplicationScoped
public class BodySizeLimit {

    private static final String PROBLEM = """
            {"type":"/problems/payload-too-large","title":"Payload Too Large","status":413,\
            "detail":"The body is larger than the %d bytes the service accepts."}""";

    private static final Logger LOG = Logger.getLogger(BodySizeLimit.class);

    private static final String MALFORMED = """
            {"type":"/problems/malformed-body","title":"Malformed request body","status":400,\
            "detail":"The chunked body is malformed (%s); nothing was done."}""";

    private final long limit;
    private final BodyHandler undeclaredBodies;
    private final LogEvery malformedLog = new LogEvery(Duration.ofSeconds(10));
    private final AtomicLong malformedSinceLog = new AtomicLong();

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
        if (malformedFraming(context.failure())) {
            answerMalformedFraming(context);
            return;
        }
        if (ProblemMappers.isClientGone(context.failure())) {
            // The connection that broke on bad framing reports its close too; nobody is left to answer.
            LOG.debugf("The client of %s closed the connection before its body arrived", context.normalizedPath());
            return;
        }
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

    /** Netty's HTTP decoder refused the body's framing: its chunk size is not hex, or a chunk line is too long. */
    static boolean malformedFraming(Throwable failure) {
        return Causes.any(
                failure,
                cause -> cause instanceof NumberFormatException
                        || cause instanceof io.netty.handler.codec.DecoderException
                        || cause instanceof io.netty.handler.codec.TooLongFrameException);
    }

    private void answerMalformedFraming(RoutingContext context) {
        if (!context.response().headWritten() && !context.response().closed()) {
            context.response()
                    .setStatusCode(400)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(MALFORMED.formatted("invalid chunk framing"));
        }
        long count = malformedSinceLog.incrementAndGet();
        long since = malformedLog.due();
        if (since >= 0) {
            malformedSinceLog.addAndGet(-count);
            String message = String.valueOf(context.failure().getMessage()).replaceAll("[\\r\\n]", " ");
            LOG.warnf(
                    "Refused %d requests with a malformed chunked body in the last %d s; the latest: %s %s (%s)",
                    count,
                    TimeUnit.NANOSECONDS.toSeconds(since),
                    context.request().method(),
                    context.normalizedPath(),
                    message.length() > 80 ? message.substring(0, 80) : message);
        }
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
