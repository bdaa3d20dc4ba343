/**
 * The warm-up before readiness: rehearsed creates and reads, sent by the instance to itself over HTTP before it
 * takes traffic, rolled back and counted nowhere, so a rollout's first requests find a warm JIT, pool and
 * statements. Depends on common only; the rehearsals' credential ({@code common.Rehearsal}) is shared with the
 * tenant, order and slo packages, which recognise it.
 */
package io.dispensary.orders.warmup;
