package io.dispensary.orders.common.problem;

import java.util.List;
import java.util.Map;

/**
 * An exception that carries the problem+json it is answered with. A feature's exceptions implement it, so
 * {@link ProblemMappers} maps them without knowing the feature (common imports no feature package).
 */
public interface ProblemException {

    int status();

    /** The type's last segment: {@code /problems/<slug>}, also the metrics' reason tag. */
    String slug();

    String title();

    /** For the client: what happened and what to do. */
    String detail();

    /** Response headers, such as {@code Retry-After}. */
    default Map<String, String> headers() {
        return Map.of();
    }

    default List<Problem.Violation> violations() {
        return null;
    }

    default Map<String, Object> extensions() {
        return Map.of();
    }
}
