/**
 * The SRE status page, {@code /q/status} on the management interface: the SLOs, the number space, the pool and
 * shedding and the webhook backlog on one server-rendered HTML page with inline SVG charts, readable offline. It
 * only reads what /q/slo and the meters already show; nothing depends on it.
 */
package io.dispensary.orders.status;
