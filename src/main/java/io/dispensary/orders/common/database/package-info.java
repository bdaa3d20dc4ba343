/**
 * The database plumbing every store shares: the time budget, fault classification and its 503s, readiness, pool
 * timeouts, the SQLException helper ({@code Jdbc}), the jsonb mapper ({@code JsonColumns}), work after commit
 * ({@code AfterCommit}) and the listener of change notifications ({@code ChangeNotifications}).
 */
package io.dispensary.orders.common.database;
