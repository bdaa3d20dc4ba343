package io.dispensary.orders.warmup;

import io.dispensary.orders.common.Rehearsal;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.quarkus.micrometer.runtime.HttpServerMetricsTagsContributor;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Keeps the warm-up's rehearsals out of Quarkus's own HTTP meters ({@code http_server_requests} and the like):
 * their requests get a {@code rehearsal} tag, and meters with that tag are denied, so they are never registered
 * and no series shows them. No other request ever gets the tag. The SLO meters skip rehearsals at the source
 * (slo.EndpointRecorder).
 */
@Singleton
public class RehearsalMeters implements HttpServerMetricsTagsContributor {

    static final String TAG = "rehearsal";
    private static final Tags REHEARSAL = Tags.of(TAG, "true");

    private final Rehearsal rehearsal;

    public RehearsalMeters(Rehearsal rehearsal) {
        this.rehearsal = rehearsal;
    }

    @Override
    public Tags contribute(Context context) {
        return rehearsal.carriesToken(context.request().getHeader("Authorization")) ? REHEARSAL : Tags.empty();
    }

    @Produces
    @Singleton
    MeterFilter denyRehearsals() {
        return MeterFilter.deny(id -> id.getTag(TAG) != null);
    }
}
