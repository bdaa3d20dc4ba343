package io.dispensary.orders.common;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Meter descriptions without double quotes, so the scrape parses in both formats. Micrometer's own JVM and
 * system meters say e.g. {@code The "recent cpu usage"}: OpenMetrics writes that HELP as {@code \"}, which the
 * classic text format, and so {@code promtool check metrics}, refuse ("invalid escape sequence").
 */
public class MetricDescriptions {

    @Produces
    @Singleton
    MeterFilter noDoubleQuotesInDescriptions() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String description = id.getDescription();
                if (description == null || description.indexOf('"') < 0) {
                    return id;
                }
                return new Meter.Id(
                        id.getName(),
                        io.micrometer.core.instrument.Tags.of(id.getTagsAsIterable()),
                        id.getBaseUnit(),
                        description.replace('"', '\''),
                        id.getType());
            }
        };
    }
}
