/**
 * HTTP rules every API request and response passes, whatever the feature: what a request must look like before
 * a resource reads it, and the headers every response carries.
 */
package io.dispensary.orders.common.http;
