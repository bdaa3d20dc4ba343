/** Critical-endpoint SLOs: latency histograms, good and bad counters, the in-process tracker and /q/slo. */
package io.dispensary.orders.slo;
