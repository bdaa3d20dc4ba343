package io.dispensary.orders.status;

import java.time.Duration;
import java.util.Locale;

/** Escaping and the human-readable figures of the status page. */
final class Html {

    private static final long MINUTE = 60;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long MONTH = 30 * DAY;
    private static final long YEAR = 365 * DAY;

    private Html() {}

    /** Text safe in an element or a quoted attribute: everything from data goes through here. */
    static String escape(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A duration as people say it, the two largest units: "3 months 12 days", "5 hours 2 minutes", "40 seconds".
     * Months are 30 days and years 365, close enough for an ETA measured from a day's rate.
     */
    static String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < MINUTE) {
            return plural(seconds, "second");
        }
        long[] sizes = {YEAR, MONTH, DAY, HOUR, MINUTE};
        String[] names = {"year", "month", "day", "hour", "minute"};
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < sizes.length && shown < 2; i++) {
            long count = seconds / sizes[i];
            if (count > 0) {
                out.append(out.length() > 0 ? " " : "").append(plural(count, names[i]));
                seconds -= count * sizes[i];
                shown++;
            } else if (shown > 0) {
                break; // "1 year 3 hours" reads as more precise than it is
            }
        }
        return out.toString();
    }

    private static String plural(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s");
    }

    /** A ratio as a percentage with one decimal: 0.8734 -> "87.3%". */
    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }

    /** A figure with up to the given decimals, trailing zeros dropped. */
    static String number(double value, int decimals) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "∞" : "-∞";
        }
        String text = String.format(Locale.ROOT, "%." + decimals + "f", value);
        if (text.contains(".")) {
            text = text.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return text;
    }
}
