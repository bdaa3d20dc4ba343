package io.dispensary.orders.status;

import io.dispensary.orders.slo.SloStatus;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The status page's charts as inline SVG, drawn here so the page needs no script, font or CDN: the daily p99 trend
 * with its threshold, fitted line and projected crossing; burn rate per window against the page and ticket factors;
 * and a bar gauge. The geometry ({@link Scale}, {@link #fittedLine}) is pure and tested alone.
 */
final class Svg {

    static final int WIDTH = 640;
    /** How far past today the trend chart reaches to show a crossing; a later one is named, not drawn. */
    static final int HORIZON_DAYS = 42;

    private static final int LEFT = 56;
    private static final int RIGHT = 24;
    private static final int TOP = 18;
    private static final int BOTTOM = 30;

    private Svg() {}

    /** A linear map from data to pixels; a range that runs backwards (rangeMin > rangeMax) turns the y axis up. */
    record Scale(double domainMin, double domainMax, double rangeMin, double rangeMax) {
        double at(double value) {
            if (domainMax == domainMin) {
                return (rangeMin + rangeMax) / 2;
            }
            return rangeMin + (value - domainMin) * (rangeMax - rangeMin) / (domainMax - domainMin);
        }
    }

    /** A point in data units: x in days relative to today (0 = today), y in milliseconds. */
    record Point(double x, double y) {}

    /**
     * The least-squares line of /q/slo's trend, end to end, from its slope and its daily p99s: a least-squares line
     * runs through the mean of the points it was fitted to (the complete days), so the slope is all it needs. It
     * starts at the first complete day and ends at the projected crossing, or today when there is none, but never
     * past the horizon.
     */
    static Optional<Point[]> fittedLine(SloStatus.Trend trend, LocalDate today) {
        if (trend == null || trend.slopeMillisPerDay() == null) {
            return Optional.empty();
        }
        List<SloStatus.DailyP99> complete =
                trend.daily().stream().filter(d -> !d.partial()).toList();
        if (complete.isEmpty()) {
            return Optional.empty();
        }
        double slope = trend.slopeMillisPerDay();
        double meanX =
                complete.stream().mapToDouble(d -> x(d.day(), today)).average().orElseThrow();
        double meanY = complete.stream()
                .mapToDouble(SloStatus.DailyP99::p99Millis)
                .average()
                .orElseThrow();
        double intercept = meanY - slope * meanX;
        double fromX = x(complete.get(0).day(), today);
        double toX = trend.projectedCrossing() == null
                ? 0
                : Math.min(HORIZON_DAYS, Math.max(0, x(trend.projectedCrossing(), today)));
        return Optional.of(
                new Point[] {new Point(fromX, intercept + slope * fromX), new Point(toX, intercept + slope * toX)});
    }

    static double x(LocalDate day, LocalDate today) {
        return ChronoUnit.DAYS.between(today, day);
    }

    /** The daily p99s as dots and a line, the threshold, the fitted line and the projected crossing. */
    static String trend(SloStatus.Trend trend, long thresholdMillis, LocalDate today) {
        int height = 220;
        List<SloStatus.DailyP99> daily = trend == null ? List.of() : trend.daily();
        StringBuilder svg = open("trend", height, "Daily p99 latency against the threshold");
        if (daily.isEmpty()) {
            text(svg, WIDTH / 2.0, height / 2.0, "middle", "muted", "no requests recorded yet");
            return svg.append("</svg>").toString();
        }
        Optional<Point[]> fit = fittedLine(trend, today);
        LocalDate crossing = trend.projectedCrossing();
        double firstX = x(daily.get(0).day(), today);
        double lastX = 0;
        if (crossing != null) {
            lastX = Math.min(HORIZON_DAYS, Math.max(0, x(crossing, today)));
        }
        double maxY = thresholdMillis * 1.15;
        for (SloStatus.DailyP99 day : daily) {
            maxY = Math.max(maxY, day.p99Millis() * 1.05);
        }
        Scale xs = new Scale(firstX - 0.5, lastX + 0.5, LEFT, WIDTH - RIGHT);
        Scale ys = new Scale(0, maxY, height - BOTTOM, TOP);
        axes(svg, ys, height, maxY, "ms");

        double ty = ys.at(thresholdMillis);
        svg.append(line(LEFT, ty, WIDTH - RIGHT, ty, "threshold"));
        text(svg, LEFT + 4, ty - 4, "start", "threshold-label", "threshold " + thresholdMillis + " ms");

        StringBuilder points = new StringBuilder();
        for (SloStatus.DailyP99 day : daily) {
            points.append(points.length() > 0 ? " " : "")
                    .append(f(xs.at(x(day.day(), today))))
                    .append(',')
                    .append(f(ys.at(day.p99Millis())));
        }
        svg.append("<polyline class=\"p99\" fill=\"none\" points=\"")
                .append(points)
                .append("\"/>");
        for (SloStatus.DailyP99 day : daily) {
            svg.append("<circle class=\"")
                    .append(day.partial() ? "day partial" : "day")
                    .append("\" r=\"3.5\" cx=\"")
                    .append(f(xs.at(x(day.day(), today))))
                    .append("\" cy=\"")
                    .append(f(ys.at(day.p99Millis())))
                    .append("\"><title>")
                    .append(Html.escape(day.day() + ": p99 " + Html.number(day.p99Millis(), 1) + " ms over "
                            + day.requests() + " requests" + (day.partial() ? " (today, so far)" : "")))
                    .append("</title></circle>");
        }
        fit.ifPresent(ends -> svg.append(
                line(xs.at(ends[0].x()), ys.at(ends[0].y()), xs.at(ends[1].x()), ys.at(ends[1].y()), "fit")));
        if (crossing != null) {
            double cx = xs.at(lastX);
            boolean beyond = x(crossing, today) > HORIZON_DAYS;
            svg.append("<circle class=\"crossing\" r=\"5\" cx=\"")
                    .append(f(cx))
                    .append("\" cy=\"")
                    .append(f(ty))
                    .append("\"><title>projected crossing ")
                    .append(crossing)
                    .append("</title></circle>");
            // Above the plot, clear of the points that crowd the threshold as they near it.
            svg.append(line(cx, TOP, cx, height - BOTTOM, "crossing-day"));
            text(
                    svg,
                    cx,
                    TOP - 6,
                    cx > WIDTH / 2.0 ? "end" : "start",
                    "crossing-label",
                    (beyond ? "crosses later: " : "crossing ") + crossing);
        }
        if (firstX < -3) {
            text(
                    svg,
                    xs.at(firstX),
                    height - 10,
                    "start",
                    "muted",
                    daily.get(0).day().toString());
        }
        text(svg, xs.at(0), height - 10, lastX > 3 ? "middle" : "end", "muted", "today " + today);
        return svg.append("</svg>").toString();
    }

    /** One bar per window, with the four factors of the page and ticket rules as dashed lines. */
    static String burnRates(List<SloStatus.Window> windows, SloStatus.Factors factors) {
        int row = 24;
        int height = TOP + 14 + row * windows.size() + 8;
        StringBuilder svg = open("burn", height, "Burn rate per window against the alert factors");
        double max = factors.pageFast() * 1.2;
        for (SloStatus.Window window : windows) {
            max = Math.max(max, window.burnRate() * 1.05);
        }
        // Room on the right for the value label of the longest bar.
        Scale xs = new Scale(0, max, LEFT, WIDTH - RIGHT - 150);
        int y = TOP + 14;
        for (SloStatus.Window window : windows) {
            double factor = factorOf(window.window(), factors);
            double end = xs.at(window.burnRate());
            text(svg, LEFT - 6, y + row / 2.0 + 4, "end", "axis-label", window.window());
            svg.append("<rect class=\"")
                    .append(window.burnRate() > factor ? "bar over" : "bar")
                    .append("\" x=\"")
                    .append(LEFT)
                    .append("\" y=\"")
                    .append(y + 4)
                    .append("\" width=\"")
                    .append(f(Math.max(1, end - LEFT)))
                    .append("\" height=\"")
                    .append(row - 8)
                    .append("\"><title>")
                    .append(Html.escape(window.window() + ": burn rate " + Html.number(window.burnRate(), 2) + " ("
                            + (window.total() - window.good()) + " bad of " + window.total() + ")"))
                    .append("</title></rect>");
            text(
                    svg,
                    end + 4,
                    y + row / 2.0 + 4,
                    "start",
                    "value",
                    window.total() == 0
                            ? "no requests"
                            : Html.number(window.burnRate(), 2) + "×  (" + (window.total() - window.good()) + " bad of "
                                    + window.total() + ")");
            y += row;
        }
        double[] values = {factors.pageFast(), factors.pageSlow(), factors.ticketFast(), factors.ticketSlow()};
        String[] names = {"page", "page", "ticket", "ticket"};
        for (int i = 0; i < values.length; i++) {
            double fx = xs.at(values[i]);
            svg.append(line(fx, TOP + 10, fx, height - 6, "factor " + names[i]));
            // Alternate label heights: the two ticket factors sit close together.
            text(
                    svg,
                    fx,
                    TOP + (i % 2 == 0 ? 0 : 9),
                    "middle",
                    "factor-label",
                    names[i] + " " + Html.number(values[i], 2) + "×");
        }
        return svg.append("</svg>").toString();
    }

    /** The factor a window is compared with as the long (or, for 5m and 2h, the short) window of its rule. */
    static double factorOf(String window, SloStatus.Factors factors) {
        return switch (window) {
            case "5m", "1h" -> factors.pageFast();
            case "30m", "6h" -> factors.pageSlow();
            case "2h", "1d" -> factors.ticketFast();
            default -> factors.ticketSlow();
        };
    }

    /** A mark on a gauge, e.g. the warning ratio. */
    record Mark(double at, String label) {}

    /** A horizontal bar from 0 to 1, filled to {@code ratio} (clamped), with labelled marks. */
    static String gauge(String cssClass, double ratio, String label, List<Mark> marks) {
        int height = 40;
        StringBuilder svg = open("gauge " + cssClass, height, label);
        Scale xs = new Scale(0, 1, 0, WIDTH - 2);
        double fill = Double.isNaN(ratio) ? 0 : Math.max(0, Math.min(1, ratio));
        svg.append("<rect class=\"track\" x=\"1\" y=\"14\" width=\"")
                .append(WIDTH - 2)
                .append("\" height=\"16\"/>");
        svg.append("<rect class=\"fill\" x=\"1\" y=\"14\" width=\"")
                .append(f(xs.at(fill)))
                .append("\" height=\"16\"><title>")
                .append(Html.escape(label))
                .append("</title></rect>");
        for (Mark mark : marks) {
            double mx = 1 + xs.at(mark.at());
            svg.append(line(mx, 10, mx, 34, "mark"));
            text(svg, mx, 9, "middle", "factor-label", mark.label());
        }
        text(svg, 6, 27, "start", "gauge-label", label);
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(String cssClass, int height, String title) {
        return new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"")
                .append(cssClass)
                .append("\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(height)
                .append("\" role=\"img\"><title>")
                .append(Html.escape(title))
                .append("</title>");
    }

    private static void axes(StringBuilder svg, Scale ys, int height, double maxY, String unit) {
        svg.append(line(LEFT, TOP, LEFT, height - BOTTOM, "axis"));
        svg.append(line(LEFT, height - BOTTOM, WIDTH - RIGHT, height - BOTTOM, "axis"));
        for (int i = 0; i <= 4; i++) {
            double value = maxY * i / 4;
            double y = ys.at(value);
            svg.append(line(LEFT, y, WIDTH - RIGHT, y, "grid"));
            text(svg, LEFT - 6, y + 4, "end", "axis-label", Html.number(value, 0) + " " + unit);
        }
    }

    private static String line(double x1, double y1, double x2, double y2, String cssClass) {
        return "<line class=\"" + cssClass + "\" x1=\"" + f(x1) + "\" y1=\"" + f(y1) + "\" x2=\"" + f(x2) + "\" y2=\""
                + f(y2) + "\"/>";
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, String cssClass, String text) {
        svg.append("<text class=\"")
                .append(cssClass)
                .append("\" x=\"")
                .append(f(x))
                .append("\" y=\"")
                .append(f(y))
                .append("\" text-anchor=\"")
                .append(anchor)
                .append("\">")
                .append(Html.escape(text))
                .append("</text>");
    }

    /** Pixels with one decimal, always a dot: SVG does not read "12,5". */
    static String f(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
