/**
 * The sequences behind order numbers: issuing, exhaustion, the start-up checks and widening, and how full the space
 * is (gauges, ETA from {@code IssueSampleStore}, the order-numbers health check).
 */
package io.dispensary.orders.numberspace;
