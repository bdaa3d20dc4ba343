/**
 * Orders: the API, the service (transactions, tenancy, compliance), the lifecycle, keyset listing and
 * {@code OrderStore}, the one way into customer_order, order_line and order_transition.
 */
package io.dispensary.orders.order;
