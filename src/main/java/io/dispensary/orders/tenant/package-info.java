/**
 * Dispensaries and API keys: authentication, the admin API, the rules orders are checked against and
 * {@code TenantStore}, the one way into dispensary and api_key.
 */
package io.dispensary.orders.tenant;
