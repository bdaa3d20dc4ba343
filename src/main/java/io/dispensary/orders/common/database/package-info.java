/**
 * The database plumbing every store shares: the time budget, fault classification and its 503s, readiness, pool
 * timeouts, the SQLException helper ({@code Jdbc}), the jsonb mapper ({@code JsonColumns}), work after commit
 * ({@code AfterCommit}), the listener of change notifications ({@code ChangeNotifications}), and several stores'
 * writes sent in one round trip ({@code Writes}, each a {@code Write} its own store made).
 */
package io.dispensary.orders.common.database;
