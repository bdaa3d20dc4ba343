package io.dispensary.orders.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.dispensary.orders.common.Causes;
import io.dispensary.orders.common.RequestTags;
import io.dispensary.orders.common.database.DatabaseFault;
import io.dispensary.orders.common.database.DatabaseOutages;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.inject.Instance;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become responses: every error is {@code application/problem+json}, and no
 * response ever shows a stack trace, a class name or a framework's own message. 5xx are logged with the stack.
 */
public class ProblemMappers {

    private final RequestTags tags;
    private final DatabaseOutages outages;
    private final Instance<ProblemTranslator> translators;

    public ProblemMappers(RequestTags tags, DatabaseOutages outages, Instance<ProblemTranslator> translators) {
        this.tags = tags;
        this.outages = outages;
        this.translators = translators;
    }

    /**
     * The client closed its connection before its request body had arrived: nothing was done and no one is left
     * to answer. Vert.x reports it while the body is read, on whichever thread reads it.
     */
    static boolean isClientGone(Throwable e) {
        return Causes.any(
                e,
                cause -> cause instanceof io.vertx.core.http.HttpClosedException
                        || cause instanceof java.nio.channels.ClosedChannelException);
    }

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /**
     * PostgreSQL away (a restart, a failover) or over the request's budget: a client that retries after a second with
     * its Idempotency-Key gets its order as soon as PostgreSQL is back (a restart took ~0.1 s to accept connections).
     */
    public static final Duration DATABASE_RETRY_AFTER = Duration.ofSeconds(1);

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem e, UriInfo uri) {
        return problem(e, uri);
    }

    /** A feature's exception that carries its problem (see {@link ProblemException}). */
    private Response problem(ProblemException e, UriInfo uri) {
        Response.ResponseBuilder response = Response.fromResponse(respond(
                new Problem(e.slug(), e.title(), e.status(), e.detail(), path(uri), e.violations(), e.extensions()),
                null));
        e.headers().forEach(response::header);
        return response.build();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new Problem.Violation(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field).thenComparing(Problem.Violation::message))
                .toList();
        ApiProblem problem = ApiProblem.validation(violations);
        return apiProblem(problem, uri);
    }

    /** Quarkus maps these two itself with a body of its own: the most specific mapper wins, so name them. */
    @ServerExceptionMapper
    public Response mismatchedInput(com.fasterxml.jackson.databind.exc.MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        String detail;
        List<Problem.Violation> violations = null;
        if (e instanceof StreamReadException && !(e instanceof JsonMappingException)) {
            detail = "The body is not valid JSON"
                    + (e.getLocation() == null
                            ? "."
                            : " (line " + e.getLocation().getLineNr() + ", column "
                                    + e.getLocation().getColumnNr() + ").");
        } else if (e instanceof JsonMappingException mapping) {
            String field = jsonPath(mapping.getPath());
            violations = List.of(new Problem.Violation(field.isEmpty() ? "body" : field, describe(mapping)));
            detail = "The body does not have the expected shape; see violations.";
        } else {
            detail = "The body could not be read as JSON.";
        }
        return respond(
                new Problem("malformed-body", "Malformed request body", 400, detail, path(uri), violations, null),
                null);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            // The JSON reader wraps some parse failures (a truncated body) in a plain 400.
            return unreadableJson(json, uri);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Request failed", e);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail =
                switch (status) {
                    case 404 -> "There is nothing at this path.";
                    case 405 -> "This path does not support the method.";
                    case 406 -> "This resource answers only application/json.";
                    case 415 -> "Send the body as application/json.";
                    case 413 -> "The body is larger than the service accepts.";
                    default -> title + ".";
                };
        String slug = title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
        Response response = respond(
                new Problem(slug, title, status, detail, path(uri), null, null),
                status >= 500 ? Duration.ofSeconds(1) : null);
        if (status == 405 && e.getResponse().getHeaderString("Allow") != null) {
            return Response.fromResponse(response)
                    .header("Allow", e.getResponse().getHeaderString("Allow"))
                    .build();
        }
        return response;
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        if (isClientGone(e)) {
            // Not a fault of the service: no ERROR and no stack, or a flaky mobile network would page someone.
            LOG.debugf("The client of %s closed the connection before its body arrived", path(uri));
            return respond(
                    new Problem(
                            "incomplete-request",
                            "Incomplete request",
                            400,
                            "The connection closed before the request body arrived; nothing was done.",
                            path(uri),
                            null,
                            null),
                    null);
        }
        if (e instanceof ProblemException carried) {
            return problem(carried, uri);
        }
        for (ProblemTranslator translator : translators) {
            java.util.Optional<ProblemException> translated = translator.translate(e, path(uri));
            if (translated.isPresent()) {
                return problem(translated.get(), uri);
            }
        }
        java.util.Optional<DatabaseFault.Cause> database = DatabaseFault.classify(e);
        if (database.isPresent()) {
            // Counted by cause and summed into one WARN line per interval: an outage is one event, not a stack
            // trace per request.
            outages.record(database.get(), e);
            return respond(
                    new Problem(
                            "database-unavailable",
                            "Database unavailable",
                            503,
                            "The database could not"
                                    + " serve this request in time ("
                                    + database.get().description() + "); nothing was stored unless"
                                    + " a retry with the same Idempotency-Key says so. Retry after the delay.",
                            path(uri),
                            null,
                            null),
                    DATABASE_RETRY_AFTER);
        }
        LOG.error("Unexpected failure", e);
        return respond(
                new Problem(
                        "internal",
                        "Internal error",
                        500,
                        "The service failed to handle the request. It has been logged; retrying may help.",
                        path(uri),
                        null,
                        null),
                Duration.ofSeconds(1));
    }

    /**
     * Answers a request on its route, before any resource saw it (admission control turns requests away on the
     * event loop): the same body, headers and metrics tag as a mapped exception.
     */
    public static void answer(RoutingContext context, ProblemException e) {
        Problem problem = new Problem(
                e.slug(), e.title(), e.status(), e.detail(), context.normalizedPath(), e.violations(), e.extensions());
        RequestTags.problem(context, e.slug());
        context.response().setStatusCode(problem.getStatus()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        e.headers().forEach(context.response()::putHeader);
        context.response().end(Json.encode(problem));
    }

    private Response respond(Problem problem, Duration retryAfter) {
        // Metrics count rejected orders by problem type, a fixed set of values.
        tags.problem(problem.getType().substring(Problem.TYPE_PREFIX.length()));
        Response.ResponseBuilder builder =
                Response.status(problem.getStatus()).type(Problem.MEDIA_TYPE).entity(problem);
        if (retryAfter != null) {
            builder.header("Retry-After", Math.max(1, retryAfter.toSeconds()));
        }
        return builder.build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    /** The JSON path of a violation, without the method and parameter the validator puts first. */
    static String field(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD
                    || node.getKind() == ElementKind.CONSTRUCTOR
                    || node.getKind() == ElementKind.PARAMETER
                    || node.getKind() == ElementKind.CROSS_PARAMETER
                    || node.getKind() == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (node.isInIterable() && node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            } else if (node.isInIterable() && node.getKey() != null) {
                field.append('[').append(node.getKey()).append(']');
            }
            String name = node.getName();
            if (name != null && !name.startsWith("<")) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(name);
            }
        }
        if (field.isEmpty()) {
            // A constraint on the parameter itself: the body, a query parameter or a header.
            for (Path.Node node : violation.getPropertyPath()) {
                if (node.getKind() == ElementKind.PARAMETER) {
                    return "request".equals(node.getName()) ? "body" : node.getName();
                }
            }
            return "body";
        }
        return field.toString();
    }

    private static String jsonPath(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    /** Says what is wrong in words a client developer understands, never with Java type names. */
    private static String describe(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException) {
            return "is not a known field";
        }
        if (e instanceof InvalidFormatException format && format.getTargetType() != null) {
            Class<?> target = format.getTargetType();
            if (target.isEnum()) {
                return "must be one of " + Arrays.toString(target.getEnumConstants());
            }
            if (target == java.time.LocalDate.class) {
                return "must be a date as YYYY-MM-DD";
            }
        }
        if (e.getCause() instanceof java.time.DateTimeException) {
            return "must be a date as YYYY-MM-DD";
        }
        Class<?> target = e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatched
                ? mismatched.getTargetType()
                : null;
        if (target != null) {
            if (target.isEnum()) {
                return "must be one of " + Arrays.toString(target.getEnumConstants());
            }
            if (Number.class.isAssignableFrom(target) || target.isPrimitive() && target != boolean.class) {
                return "must be a number in range";
            }
            if (target == Boolean.class || target == boolean.class) {
                return "must be true or false";
            }
            if (target == String.class) {
                return "must be a string";
            }
            if (java.util.Collection.class.isAssignableFrom(target)) {
                return "must be an array";
            }
            if (target == java.time.LocalDate.class) {
                return "must be a date as YYYY-MM-DD";
            }
            return "must be an object";
        }
        return "has the wrong type";
    }
}
