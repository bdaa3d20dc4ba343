package io.dispensary.orders.common.http;

import io.dispensary.orders.common.problem.ApiProblem;
import io.dispensary.orders.common.problem.Problem;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks on every matched API request, after authentication and before a resource reads its body or a store
 * sees its parameters.
 */
public class RequestChecks {

    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");

    /**
     * A body without a Content-Type was read as JSON and acted on; the README promises 415 for what is not JSON,
     * and a client that sends none has not said it is.
     */
    @ServerRequestFilter(priority = Priorities.USER + 10)
    void requireContentType(ContainerRequestContext request) {
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (WITH_BODY.contains(request.getMethod()) && hasBody(request) && (type == null || type.isBlank())) {
            throw new ApiProblem(
                    415,
                    "unsupported-media-type",
                    "Unsupported Media Type",
                    "The body has no Content-Type; send it as application/json, with Content-Type: application/json.");
        }
    }

    /**
     * A control character in a path parameter is never part of an order number, a dispensary id or a key id, and
     * a NUL reaching PostgreSQL (which refuses it in text) was a 500. Decided here for every path parameter, so a
     * new one is covered without a rule of its own.
     */
    @ServerRequestFilter(priority = Priorities.USER + 10)
    void refuseControlCharactersInPathParameters(ContainerRequestContext request) {
        List<Problem.Violation> violations = new ArrayList<>();
        for (Map.Entry<String, List<String>> parameter :
                request.getUriInfo().getPathParameters().entrySet()) {
            for (String value : parameter.getValue()) {
                if (value.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL)) {
                    violations.add(new Problem.Violation(parameter.getKey(), "must not contain control characters"));
                    break;
                }
            }
        }
        if (!violations.isEmpty()) {
            throw ApiProblem.validation(violations);
        }
    }

    private static boolean hasBody(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.trim().equals("0");
        }
        return request.getHeaderString("Transfer-Encoding") != null;
    }
}
