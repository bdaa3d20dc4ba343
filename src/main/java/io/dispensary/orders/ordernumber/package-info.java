/**
 * Order numbers: a keyed NIST FF1 permutation of a sequence value, a Damm check digit and the text format.
 *
 * <p>Pure code on purpose: nothing here knows HTTP, JPA or Quarkus, so it can be read, unit-tested and
 * benchmarked alone. Where the sequence values come from is the {@code numberspace} package's business.
 */
package io.dispensary.orders.ordernumber;
