/**
 * The database plumbing every store shares: the time budget, fault classification and its 503s, readiness, pool
 * timeouts, the SQLException helper ({@code Jdbc}) and the jsonb mapper ({@code JsonColumns}).
 */
package io.dispensary.orders.common.database;
