package io.dispensary.orders.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;

/** The management interface of the @QuarkusTest instance, which listens on a random port like the API. */
public final class Management {

    private Management() {}

    /** The URL of a management path, e.g. {@code /q/metrics}. */
    public static String url(String path) {
        // Quarkus writes the port it actually bound back into the configuration.
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        return "http://localhost:" + port + path;
    }

    /** The Prometheus scrape, as Prometheus would read it. */
    public static String scrape() {
        return given().get(url("/q/metrics")).then().statusCode(200).extract().asString();
    }

    /** The value of one series, e.g. {@code orders_shed_total{reason="pool"}}, which must be in the scrape. */
    public static double value(String scrape, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$")
                .matcher(scrape);
        assertThat(matcher.find()).as("series %s in the scrape", series).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    /** The value of one series, or 0 while the scrape does not have it (a counter whose tag was never used). */
    public static double valueOrZero(String scrape, String series) {
        return scrape.contains(series + " ") ? value(scrape, series) : 0;
    }

    /**
     * Scrapes until the series shows {@code expected}, then returns that scrape; fails after 30 s. For what is
     * recorded when a response ends (the SLO counters): the client can hold the response, and scrape, a moment
     * before the server's end handler has run.
     */
    public static String awaitValue(String series, double expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            String scrape = scrape();
            double seen = valueOrZero(scrape, series);
            if (seen == expected || System.nanoTime() > deadline) {
                assertThat(seen).as("series %s", series).isEqualTo(expected);
                return scrape;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + series, e);
            }
        }
    }
}
