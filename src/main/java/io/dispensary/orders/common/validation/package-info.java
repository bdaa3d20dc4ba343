/** Bean Validation constraints of the API: free text without control characters, dates not before a bound. */
package io.dispensary.orders.common.validation;
