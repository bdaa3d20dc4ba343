/**
 * RFC 9457 problem+json: the one place exceptions become responses; features say their problem through
 * {@code ProblemException} or {@code ProblemTranslator}.
 */
package io.dispensary.orders.common.problem;
