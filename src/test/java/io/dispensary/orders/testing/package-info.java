/**
 * Test helpers shared by every test package: the raw HTTP client, the database, service processes, management
 * scrapes, private PostgreSQL clusters, a proxy that reads the wire protocol, and polling (Eventually).
 */
package io.dispensary.orders.testing;
