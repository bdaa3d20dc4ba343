/** Idempotency keys: claim, replay and prune, in the transaction of the work they guard ({@code IdempotencyStore}). */
package io.dispensary.orders.idempotency;
