package io.dispensary.orders.common.problem;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error a feature throws to end the request with a problem+json response: a status, a type slug, a title
 * and a detail written for the client, optionally with violations, extension members and headers.
 * {@link ProblemMappers} turns it into the response.
 */
public class ApiProblem extends RuntimeException implements ProblemException {

    private final int status;
    private final String slug;
    private final String title;
    private List<Problem.Violation> violations;
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiProblem(int status, String slug, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    /** A 400 listing the fields that are wrong. */
    public static ApiProblem validation(List<Problem.Violation> violations) {
        return new ApiProblem(400, "validation", "Invalid request", "The request has invalid fields; see violations.")
                .withViolations(violations);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "not-found", "Not found", detail);
    }

    public ApiProblem withViolations(List<Problem.Violation> violations) {
        this.violations = List.copyOf(violations);
        return this;
    }

    public ApiProblem withExtension(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    public ApiProblem withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public ApiProblem retryAfter(Duration delay) {
        return withHeader("Retry-After", String.valueOf(Math.max(1, delay.toSeconds())));
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String detail() {
        return getMessage();
    }

    @Override
    public List<Problem.Violation> violations() {
        return violations;
    }

    @Override
    public Map<String, Object> extensions() {
        return extensions;
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }
}
