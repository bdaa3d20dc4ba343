/**
 * Test helpers shared by every test package: the raw HTTP client, the database, service processes, management
 * scrapes and private PostgreSQL clusters.
 */
package io.dispensary.orders.testing;
