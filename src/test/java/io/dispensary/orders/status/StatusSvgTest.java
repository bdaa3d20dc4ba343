package io.dispensary.orders.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dispensary.orders.slo.SloStatus;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusSvgTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 3);
    private static final long THRESHOLD = 300;
    /** 100, 110, 120 ms on the three complete days before today, and a partial today. */
    private static final List<SloStatus.DailyP99> RISING = List.of(
            new SloStatus.DailyP99(TODAY.minusDays(3), 100, 500, false),
            new SloStatus.DailyP99(TODAY.minusDays(2), 110, 500, false),
            new SloStatus.DailyP99(TODAY.minusDays(1), 120, 500, false),
            new SloStatus.DailyP99(TODAY, 200, 20, true));
    /** What SloTracker fits to RISING: 10 ms per day, 130 ms at today, 300 ms 17 days on. */
    private static final SloStatus.Trend RISING_TREND = new SloStatus.Trend(RISING, 10.0, TODAY.plusDays(17));

    private static final SloStatus.Factors FACTORS = new SloStatus.Factors(13.44, 5.6, 2.8, 0.933);

    @Test
    void aScaleMapsItsDomainOntoItsRangeAndAnInvertedRangeTurnsTheAxisUp() {
        Svg.Scale x = new Svg.Scale(0, 100, 56, 616);
        assertThat(x.at(0)).isEqualTo(56);
        assertThat(x.at(100)).isEqualTo(616);
        assertThat(x.at(25)).isEqualTo(196);
        Svg.Scale y = new Svg.Scale(0, 345, 190, 18);
        assertThat(y.at(0)).isEqualTo(190);
        assertThat(y.at(345)).isEqualTo(18);
        assertThat(y.at(300)).isCloseTo(40.43, within(0.01));
    }

    @Test
    void anEmptyDomainMapsToTheMiddleInsteadOfDividingByZero() {
        assertThat(new Svg.Scale(5, 5, 0, 100).at(5)).isEqualTo(50);
    }

    @Test
    void theFittedLineRunsFromTheFirstCompleteDayToTheProjectedCrossing() {
        Svg.Point[] ends = Svg.fittedLine(RISING_TREND, TODAY).orElseThrow();
        assertThat(ends[0].x()).isEqualTo(-3);
        assertThat(ends[0].y()).isCloseTo(100, within(1e-9));
        assertThat(ends[1].x()).isEqualTo(17);
        assertThat(ends[1].y()).isCloseTo(300, within(1e-9));
    }

    @Test
    void theFittedLineStopsAtTheHorizonWhenTheCrossingIsFarOff() {
        SloStatus.Trend slow = new SloStatus.Trend(RISING, 10.0, TODAY.plusDays(400));
        Svg.Point[] ends = Svg.fittedLine(slow, TODAY).orElseThrow();
        assertThat(ends[1].x()).isEqualTo(Svg.HORIZON_DAYS);
        assertThat(ends[1].y()).isCloseTo(130 + 10 * Svg.HORIZON_DAYS, within(1e-9));
        assertThat(Svg.trend(slow, THRESHOLD, TODAY)).contains("crosses later: " + TODAY.plusDays(400));
    }

    @Test
    void withoutASlopeThereIsNoFittedLine() {
        SloStatus.Trend young = new SloStatus.Trend(List.of(RISING.get(3)), null, null);
        assertThat(Svg.fittedLine(young, TODAY)).isEmpty();
        assertThat(Svg.trend(young, THRESHOLD, TODAY))
                .contains("class=\"day partial\"")
                .doesNotContain("class=\"fit\"")
                .doesNotContain("class=\"crossing\"");
    }

    @Test
    void theTrendChartDrawsTheThresholdThePointsTheFitAndTheCrossingWhereTheScalesPutThem() {
        String svg = Svg.trend(RISING_TREND, THRESHOLD, TODAY);
        // y: 0..345 ms (threshold x 1.15) onto 190..18 px, so 100 ms at 190 - 100 x 172 / 345 = 140.1; x: -3.5..17.5
        // days onto 56..616 px, so today (0) at 56 + 3.5 x 560 / 21 = 149.3 and the crossing (17) at 602.7.
        assertThat(svg)
                .startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trend\"")
                .contains("<line class=\"threshold\" x1=\"56.0\" y1=\"40.4\" x2=\"616.0\" y2=\"40.4\"/>")
                .contains(
                        "<polyline class=\"p99\" fill=\"none\" points=\"69.3,140.1 96.0,135.2 122.7,130.2 149.3,90.3\"/>")
                .contains("<line class=\"fit\" x1=\"69.3\" y1=\"140.1\" x2=\"602.7\" y2=\"40.4\"/>")
                .contains("<circle class=\"crossing\" r=\"5\" cx=\"602.7\" cy=\"40.4\">")
                .contains("crossing " + TODAY.plusDays(17))
                .endsWith("</svg>");
    }

    @Test
    void aBarOverItsWindowsFactorIsMarkedOver() {
        String svg = Svg.burnRates(
                List.of(new SloStatus.Window("5m", 80, 100, 20), new SloStatus.Window("3d", 100, 100, 0)), FACTORS);
        assertThat(svg).contains("<rect class=\"bar over\"").contains("<rect class=\"bar\"");
        assertThat(svg).contains("page 13.44×").contains("ticket 0.93×").contains("20×");
    }

    @Test
    void aGaugeClampsAnOverspentBudgetToAnEmptyBar() {
        String svg = Svg.gauge("budget", -0.98, "budget left -98.0%", List.of());
        assertThat(svg).contains("<rect class=\"fill\" x=\"1\" y=\"14\" width=\"0.0\"");
        assertThat(Svg.gauge("used", 0.5, "used 50.0%", List.of(new Svg.Mark(0.8, "warning"))))
                .contains("width=\"319.0\"")
                .contains("<line class=\"mark\" x1=\"511.4\"");
    }
}
