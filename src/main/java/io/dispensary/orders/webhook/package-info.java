/**
 * Order events and their webhooks: a transactional outbox ({@link io.dispensary.orders.webhook.Outbox}, called
 * by the order service inside its transaction), subscriptions behind the admin API, and delivery workers that
 * sign per Standard Webhooks, retry on a schedule and account for every delivery.
 *
 * <p>Why it is built this way: the incident this service comes from had notification workers with more
 * concurrency than the database pool, and 250 of 400 notifications were never sent without anybody knowing.
 * Here an event exists exactly when its order change committed; a worker holds a database connection only to
 * claim or to record a result, never while it waits for a receiver; and every delivery is in one of five states
 * whose counts add up to what was created ({@code GET /admin/webhooks/{id}/deliveries/summary}).
 */
package io.dispensary.orders.webhook;
