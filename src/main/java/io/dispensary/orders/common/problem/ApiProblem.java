package io.dispensary.orders.common.problem;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An error a feature throws to end the request with a problem+json response: a status, a type slug, a title
 * and a detail written for the client. {@link ProblemMappers} turns it into the response.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final List<Problem.Violation> violations;
    private final Map<String, Object> extensions;
    private final Duration retryAfter;

    public ApiProblem(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, null, null, null);
    }

    public ApiProblem(int status, String slug, String title, String detail, List<Problem.Violation> violations,
            Map<String, Object> extensions, Duration retryAfter) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.violations = violations;
        this.extensions = extensions;
        this.retryAfter = retryAfter;
    }

    /** A 400 listing the fields that are wrong. */
    public static ApiProblem validation(List<Problem.Violation> violations) {
        return new ApiProblem(400, "validation", "Invalid request",
                "The request has invalid fields; see violations.", violations, null, null);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "not-found", "Not found", detail);
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public List<Problem.Violation> violations() {
        return violations;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
