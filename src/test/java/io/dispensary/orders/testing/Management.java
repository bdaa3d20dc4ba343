package io.dispensary.orders.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;

/** The management interface of the @QuarkusTest instance, which listens on a random port like the API. */
public final class Management {

    private Management() {
    }

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
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
        assertThat(matcher.find()).as("series %s in the scrape", series).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
