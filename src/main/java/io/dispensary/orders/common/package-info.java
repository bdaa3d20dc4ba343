/**
 * What every feature shares and no feature owns: configuration, the clock, problem+json, strict JSON, validation and
 * the request's metrics tags. Depends on no feature package (ArchitectureTest).
 */
package io.dispensary.orders.common;
