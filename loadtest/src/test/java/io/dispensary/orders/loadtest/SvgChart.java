package io.dispensary.orders.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A small line chart on a log-scale y axis, written as SVG by hand: one chart does not deserve a library. */
final class SvgChart {

    record Series(String name, String color, double[] values) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final String[] categories;
    private final List<Series> series = new ArrayList<>();

    SvgChart(String title, String xLabel, String yLabel, String... categories) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.categories = categories;
    }

    SvgChart add(String name, String color, double[] values) {
        series.add(new Series(name, color, values));
        return this;
    }

    String render() {
        int width = 840;
        int height = 460;
        int left = 80;
        int right = 280;
        int top = 50;
        int bottom = 60;
        double plotW = width - left - right;
        double plotH = height - top - bottom;
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Series s : series) {
            for (double v : s.values) {
                if (v > 0 && !Double.isNaN(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        double lo = Math.floor(Math.log10(min));
        double hi = Math.ceil(Math.log10(max));
        if (hi <= lo) {
            hi = lo + 1;
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"28\" font-size=\"16\" font-weight=\"bold\">%s</text>%n",
                left, escape(title)));
        for (int decade = (int) lo; decade <= (int) hi; decade++) {
            double y = top + plotH - (decade - lo) / (hi - lo) * plotH;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    left, y, left + plotW, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    left - 8, y + 4, formatTick(Math.pow(10, decade))));
        }
        for (int i = 0; i < categories.length; i++) {
            double x = xOf(i, left, plotW);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
                    x, top, x, top + plotH));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
                    x, top + plotH + 20, escape(categories[i])));
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                + "stroke=\"#333\"/>%n", left, top, plotW, plotH));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                left + plotW / 2, height - 15, escape(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text transform=\"translate(20 %.1f) rotate(-90)\" "
                + "text-anchor=\"middle\">%s</text>%n", top + plotH / 2, escape(yLabel)));
        int legendY = top + 10;
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < s.values.length; i++) {
                double v = s.values[i];
                if (v > 0 && !Double.isNaN(v)) {
                    double y = top + plotH - (Math.log10(v) - lo) / (hi - lo) * plotH;
                    double x = xOf(i, left, plotW);
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n",
                            x, y, s.color));
                    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" font-size=\"10\">"
                            + "%s</text>%n", x + 6, y - 6, s.color, formatValue(v)));
                }
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"2\"/>%n", points.toString().trim(), s.color));
            double lx = left + plotW + 15;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"3\"/>%n", lx, legendY, lx + 20, legendY, s.color));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n", lx + 26, legendY + 4,
                    escape(s.name)));
            legendY += 22;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private double xOf(int index, int left, double plotW) {
        return categories.length == 1 ? left + plotW / 2 : left + 30 + index * (plotW - 60) / (categories.length - 1);
    }

    private static String formatTick(double v) {
        return v >= 1 ? String.format(Locale.ROOT, "%,.0f ms", v) : String.format(Locale.ROOT, "%s ms", trim(v));
    }

    private static String formatValue(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
