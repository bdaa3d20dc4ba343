package io.dispensary.orders.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.slo.SloStatus;
import io.dispensary.orders.webhook.WebhookLag;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusHtmlTest {

    private static final String HOSTILE = "<script>alert('x')</script>&";

    @Test
    void escapingLeavesNoMarkupFromData() {
        assertThat(Html.escape(HOSTILE)).isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;");
        assertThat(Html.escape("a\"b")).isEqualTo("a&quot;b");
    }

    @Test
    void durationsReadAsPeopleSayThem() {
        assertThat(Html.duration(Duration.ofDays(102))).isEqualTo("3 months 12 days");
        assertThat(Html.duration(Duration.ofDays(400))).isEqualTo("1 year 1 month");
        assertThat(Html.duration(Duration.ofHours(5).plusMinutes(2))).isEqualTo("5 hours 2 minutes");
        assertThat(Html.duration(Duration.ofDays(365).plusHours(3))).isEqualTo("1 year");
        assertThat(Html.duration(Duration.ofSeconds(40))).isEqualTo("40 seconds");
        assertThat(Html.duration(Duration.ofSeconds(1))).isEqualTo("1 second");
    }

    @Test
    void ratiosAndFiguresAreRoundedForReading() {
        assertThat(Html.percent(0.87349)).isEqualTo("87.3%");
        assertThat(Html.number(13.44, 2)).isEqualTo("13.44");
        assertThat(Html.number(2.0, 2)).isEqualTo("2");
        assertThat(Html.number(Double.NaN, 2)).isEqualTo("n/a");
    }

    @Test
    void aSubscriptionIdIsShownAsTextNeverAsMarkup() {
        StatusPage.Snapshot snapshot = new StatusPage.Snapshot(
                Instant.parse("2026-12-03T08:00:00Z"),
                List.of(),
                Map.of(),
                0.8,
                0.95,
                new StatusPage.Pool(8, 1, 7, 0, 2, 0, 256, 32, Map.of("pool", 0.0)),
                List.of(new WebhookLag(HOSTILE, 1, 0, 0, 12.5, 0)));
        String html = StatusPage.render(snapshot);
        assertThat(html).contains(Html.escape(HOSTILE)).doesNotContain("<script");
        assertThat(html).contains("12 seconds").contains("(12.5 s)");
    }

    @Test
    void theTrendTextNamesTheCrossingAndHowFarOffItIs() {
        LocalDate today = LocalDate.of(2026, 12, 3);
        SloStatus.Trend trend = new SloStatus.Trend(List.of(), 2.5, today.plusDays(102));
        assertThat(StatusPage.trendText(trend, today))
                .isEqualTo("Slope +2.50 ms per day: the fitted p99 reaches the threshold on 2027-03-15"
                        + " (in 3 months 12 days).");
        assertThat(StatusPage.trendText(new SloStatus.Trend(List.of(), null, null), today))
                .contains("at least 3 complete days");
    }
}
