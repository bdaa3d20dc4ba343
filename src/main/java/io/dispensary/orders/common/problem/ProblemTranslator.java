package io.dispensary.orders.common.problem;

import java.util.Optional;

/**
 * Recognises, in a failure no mapper names by type, a problem a feature knows how to answer (a pool timeout
 * deep in a JPA exception, say). {@link ProblemMappers} asks every such bean before it answers 500, so the
 * feature owns the rule and common imports no feature package.
 */
public interface ProblemTranslator {

    /** The problem for this failure, or empty when it is not this translator's; {@code path} is the request's. */
    Optional<ProblemException> translate(Throwable failure, String path);
}
