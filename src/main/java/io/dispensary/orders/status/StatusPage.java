package io.dispensary.orders.status;

import io.dispensary.orders.numberspace.NumberSpaceUsage;
import io.dispensary.orders.slo.SloStatus;
import io.dispensary.orders.webhook.WebhookLag;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders the status page from one snapshot of what /q/slo and the meters show; pure, so tests give it any data. */
final class StatusPage {

    private StatusPage() {}

    /** Everything the page shows, read at one instant. */
    record Snapshot(
            Instant at,
            List<SloStatus> slos,
            Map<String, NumberSpaceUsage> numberSpace,
            double warningUsedRatio,
            double criticalUsedRatio,
            Pool pool,
            List<WebhookLag> webhooks) {}

    /** The pool and admission figures; NaN where a meter is absent (e.g. datasource metrics turned off). */
    record Pool(
            int poolMax,
            double active,
            double available,
            double awaiting,
            double maxUsed,
            double inFlight,
            int inFlightLimit,
            int workers,
            Map<String, Double> shed) {}

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:16px 24px;
            color:#1d2330;background:#f5f6f8}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:16px;margin:0 0 6px}
            .muted,.axis-label{color:#667;fill:#667}.card{background:#fff;border:1px solid #dde;border-radius:6px;
            padding:12px 16px;margin:0 0 14px;max-width:1240px;box-sizing:border-box}
            .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:4px 28px}
            h4{font-size:14px;margin:10px 0 2px}.summary td,.summary th{padding:3px 18px 3px 0}
            .summary .state{margin-left:0}a{color:#1f5fbf}
            .state{display:inline-block;padding:1px 10px;border-radius:10px;font-weight:600;color:#fff;margin-left:8px}
            .state-ok{background:#2e7d32}.state-ticket{background:#c77700}.state-page{background:#c62828}
            .state-warning{background:#c77700}.state-critical{background:#c62828}.state-unknown{background:#777}
            table{border-collapse:collapse;margin:6px 0}td,th{padding:2px 10px 2px 0;text-align:left;
            vertical-align:top}th{font-weight:600;color:#445}td.num{text-align:right;font-variant-numeric:tabular-nums}
            .facts{display:flex;flex-wrap:wrap;gap:4px 24px;margin:4px 0 8px}
            svg{display:block;margin:6px 0;max-width:100%;height:auto}svg text{font:11px sans-serif}
            .axis{stroke:#889}.grid{stroke:#eef}.threshold{stroke:#c62828;stroke-dasharray:6 4;stroke-width:1.5}
            .threshold-label,.crossing-label{fill:#c62828}.p99{stroke:#1f5fbf;stroke-width:2}
            .day{fill:#1f5fbf}.day.partial{fill:#fff;stroke:#1f5fbf;stroke-width:1.5}
            .fit{stroke:#7b3fbf;stroke-width:2;stroke-dasharray:7 4}.crossing-day{stroke:#c62828;stroke-dasharray:2 3;opacity:.6}.crossing{fill:#fff;stroke:#c62828;stroke-width:2}
            .bar{fill:#6b8fc7}.bar.over{fill:#c62828}.value{fill:#334}.factor{stroke-dasharray:4 3;stroke-width:1}
            .factor.page{stroke:#c62828}.factor.ticket{stroke:#c77700}.factor-label{fill:#556;font-size:10px}
            .track{fill:#e6e8ee}.gauge .fill{fill:#2e7d32}.gauge.low .fill{fill:#c62828}.gauge.used .fill{fill:#1f5fbf}
            .mark{stroke:#556;stroke-width:1}.gauge-label{fill:#1d2330;font-weight:600;paint-order:stroke;stroke:#fff;
            stroke-width:3px}
            """;

    static String render(Snapshot snapshot) {
        LocalDate today = snapshot.at().atZone(java.time.ZoneOffset.UTC).toLocalDate();
        StringBuilder html = new StringBuilder(32_000);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Order service status</title><style>")
                .append(STYLE)
                .append("</style></head><body>");
        html.append("<h1>Order service status</h1><p class=\"muted\">Read at <time id=\"read-at\">")
                .append(Html.escape(snapshot.at().truncatedTo(ChronoUnit.SECONDS)))
                .append("</time> from this instance: the same figures as <code>/q/slo</code> and")
                .append(" <code>/q/metrics</code>. Reload for new ones.</p>");

        html.append("<h2>Critical endpoints and their SLOs</h2>");
        summary(html, snapshot.slos());
        for (SloStatus slo : snapshot.slos()) {
            slo(html, slo, today);
        }
        html.append("<h2>Number space</h2>");
        numberSpace(html, snapshot);
        html.append("<h2>Pool and shedding</h2>");
        pool(html, snapshot.pool());
        html.append("<h2>Webhook lag</h2>");
        webhooks(html, snapshot.webhooks());
        return html.append("</body></html>\n").toString();
    }

    /** One line per SLO, linked to its section: what someone paged looks at first. */
    private static void summary(StringBuilder html, List<SloStatus> slos) {
        html.append("<table class=\"summary card\"><tr><th>SLO</th><th>state</th><th>budget left</th>")
                .append("<th>burn 1h</th><th>burn 6h</th><th>projected crossing</th></tr>");
        for (SloStatus slo : slos) {
            html.append("<tr><td><a href=\"#")
                    .append(Html.escape(id(slo)))
                    .append("\">")
                    .append(Html.escape(slo.name()))
                    .append("</a></td><td>")
                    .append(state(slo.state()))
                    .append("</td><td class=\"num\">")
                    .append(Html.escape(Html.percent(slo.errorBudgetLeft())))
                    .append("</td><td class=\"num\">")
                    .append(Html.escape(burn(slo, "1h")))
                    .append("</td><td class=\"num\">")
                    .append(Html.escape(burn(slo, "6h")))
                    .append("</td><td>");
            LocalDate crossing =
                    slo.latencyTrend() == null ? null : slo.latencyTrend().projectedCrossing();
            html.append(crossing == null ? "<span class=\"muted\">none</span>" : Html.escape(crossing));
            html.append("</td></tr>");
        }
        html.append("</table>");
    }

    private static String burn(SloStatus slo, String window) {
        return slo.burnRates().stream()
                .filter(w -> w.window().equals(window))
                .findFirst()
                .map(w -> Html.number(w.burnRate(), 2) + "×")
                .orElse("n/a");
    }

    private static String id(SloStatus slo) {
        return "slo-" + slo.name().replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static void slo(StringBuilder html, SloStatus slo, LocalDate today) {
        String id = id(slo);
        html.append("<section class=\"card slo\" id=\"")
                .append(Html.escape(id))
                .append("\"><h3>")
                .append(Html.escape(slo.name()))
                .append(state(slo.state()))
                .append("</h3><div class=\"facts\"><span>objective ")
                .append(Html.escape(Html.number(slo.objective() * 100, 3)))
                .append("% under ")
                .append(Html.escape(threshold(slo.thresholdMillis())))
                .append("</span><span>period ")
                .append(Html.escape(slo.period()))
                .append("</span><span>")
                .append(slo.goodInPeriod())
                .append(" good of ")
                .append(slo.totalInPeriod())
                .append(" in the period</span></div>");
        double left = slo.errorBudgetLeft();
        html.append(
                Svg.gauge(left < 0.25 ? "budget low" : "budget", left, "budget left " + Html.percent(left), List.of()));
        html.append("<div class=\"charts\"><div><h4>Burn rate per window</h4>");
        html.append(Svg.burnRates(slo.burnRates(), slo.factors()));
        html.append("</div><div><h4>Daily p99 (UTC days)</h4>");
        html.append(Svg.trend(slo.latencyTrend(), slo.thresholdMillis(), today));
        html.append("<p class=\"trend-text\">")
                .append(trendText(slo.latencyTrend(), today))
                .append("</p>");
        html.append("</div></div></section>");
    }

    /** 300 ms, or for the minutes-long webhook SLO "60000 ms (1 minute)". */
    static String threshold(long millis) {
        return millis + " ms" + (millis >= 10_000 ? " (" + Html.duration(Duration.ofMillis(millis)) + ")" : "");
    }

    static String trendText(SloStatus.Trend trend, LocalDate today) {
        if (trend == null || trend.slopeMillisPerDay() == null) {
            return "No fitted line yet: it needs at least 3 complete days with requests.";
        }
        String slope = String.format(Locale.ROOT, "%+.2f ms per day", trend.slopeMillisPerDay());
        if (trend.projectedCrossing() == null) {
            return Html.escape("Slope " + slope + ": not rising, no crossing projected.");
        }
        long days = ChronoUnit.DAYS.between(today, trend.projectedCrossing());
        return Html.escape("Slope " + slope + ": the fitted p99 reaches the threshold on " + trend.projectedCrossing()
                + (days <= 0 ? " (today)" : " (in " + Html.duration(Duration.ofDays(days)) + ")") + ".");
    }

    private static void numberSpace(StringBuilder html, Snapshot snapshot) {
        for (Map.Entry<String, NumberSpaceUsage> entry : snapshot.numberSpace().entrySet()) {
            NumberSpaceUsage usage = entry.getValue();
            html.append("<section class=\"card number-space\" id=\"number-space-")
                    .append(Html.escape(entry.getKey()))
                    .append("\"><h3>")
                    .append(Html.escape(entry.getKey()))
                    .append(state(
                            usage == null ? "unknown" : usage.level().name().toLowerCase(Locale.ROOT)))
                    .append("</h3>");
            if (usage == null) {
                html.append("<p class=\"muted\">Not measured yet.</p></section>");
                continue;
            }
            html.append(Svg.gauge(
                    "used",
                    usage.usedRatio(),
                    "used " + Html.percent(usage.usedRatio()),
                    List.of(
                            new Svg.Mark(snapshot.warningUsedRatio(), "warning"),
                            new Svg.Mark(snapshot.criticalUsedRatio(), "critical"))));
            html.append("<table><tr><th>issued</th><td class=\"num\">")
                    .append(usage.issued())
                    .append(" of ")
                    .append(usage.capacity())
                    .append(" (")
                    .append(usage.digits())
                    .append(" digits)</td></tr><tr><th>issue rate</th><td class=\"num\">")
                    .append(Html.escape(Html.number(usage.issuePerSecond(), 3)))
                    .append(" per second</td></tr><tr><th>ETA</th><td class=\"eta\">");
            if (usage.eta() == null) {
                html.append("none (idle)");
            } else {
                html.append(Html.escape(Html.duration(usage.eta())))
                        .append(" <span class=\"muted\">(")
                        .append(usage.eta().toSeconds())
                        .append(" s)</span>");
            }
            html.append("</td></tr><tr><th>measured at</th><td>")
                    .append(Html.escape(usage.measuredAt().truncatedTo(ChronoUnit.SECONDS)))
                    .append("</td></tr></table></section>");
        }
    }

    private static void pool(StringBuilder html, Pool pool) {
        html.append("<section class=\"card pool\"><table>");
        row(html, "pool size", String.valueOf(pool.poolMax()));
        row(html, "connections active", Html.number(pool.active(), 0));
        row(html, "connections available", Html.number(pool.available(), 0));
        row(html, "waiting for a connection", Html.number(pool.awaiting(), 0));
        row(html, "most connections in use at once", Html.number(pool.maxUsed(), 0));
        row(html, "API requests in flight", Html.number(pool.inFlight(), 0) + " of " + pool.inFlightLimit());
        row(html, "worker threads", String.valueOf(pool.workers()));
        html.append("</table><h4>Shed since start (<code>orders_shed_total</code>)</h4><table class=\"shed\">");
        for (Map.Entry<String, Double> shed : pool.shed().entrySet()) {
            row(html, shed.getKey(), Html.number(shed.getValue(), 0));
        }
        html.append("</table></section>");
    }

    private static void webhooks(StringBuilder html, List<WebhookLag> webhooks) {
        html.append("<section class=\"card webhooks\">");
        if (webhooks.isEmpty()) {
            html.append("<p class=\"muted\">No live subscriptions (or the first monitor round has not run).</p>");
        } else {
            html.append("<table><tr><th>subscription</th><th>pending</th><th>retrying</th><th>dead</th>")
                    .append("<th>oldest pending</th><th>oldest retrying</th></tr>");
            for (WebhookLag lag : webhooks) {
                html.append("<tr><td class=\"subscription\">")
                        .append(Html.escape(lag.subscriptionId()))
                        .append("</td><td class=\"num\">")
                        .append(lag.pending())
                        .append("</td><td class=\"num\">")
                        .append(lag.retrying())
                        .append("</td><td class=\"num\">")
                        .append(lag.dead())
                        .append("</td><td>")
                        .append(age(lag.pending(), lag.oldestPendingSeconds()))
                        .append("</td><td>")
                        .append(age(lag.retrying(), lag.oldestRetryingSeconds()))
                        .append("</td></tr>");
            }
            html.append("</table>");
        }
        html.append("</section>");
    }

    private static String age(long count, double seconds) {
        if (count == 0) {
            return "<span class=\"muted\">none</span>";
        }
        return Html.escape(Html.duration(Duration.ofMillis((long) (seconds * 1000)))) + " <span class=\"muted\">("
                + Html.escape(Html.number(seconds, 1)) + " s)</span>";
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><th>")
                .append(Html.escape(name))
                .append("</th><td class=\"num\">")
                .append(Html.escape(value))
                .append("</td></tr>");
    }

    private static String state(String state) {
        String safe = Html.escape(state);
        return "<span class=\"state state-" + safe + "\">" + safe + "</span>";
    }
}
