/**
 * Admission control: the in-flight limit, the queue wait for a worker and the pool gate, each a 503
 * {@code /problems/overloaded} before the request touches the database; and the start-up check that the pool fits
 * the workers and PostgreSQL. Depends on common only.
 */
package io.dispensary.orders.admission;
