package io.dispensary.orders.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.order.OrderFixtures;
import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.Management;
import io.dispensary.orders.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The uri tag of http_server_requests is a route template or one constant, never a path a client chose: Micrometer
 * keeps 100 uri values at most, and junk paths that filled them left real requests without a series.
 */
@QuarkusTest
class UriTagTest {

    private static final Pattern URI_TAG =
            Pattern.compile("(?m)^http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"");

    private static final String GET_ORDER = "http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\","
            + "status=\"200\",uri=\"/orders/{orderNumber}\"}";

    @Test
    void pathsWithoutARouteAreTaggedWithOneConstantAndRealRequestsKeepTheirSeries() throws Exception {
        for (int i = 0; i < 120; i++) {
            // A quote is not valid in a URI: the server refuses these before any route matches them.
            RawHttp.get("/orders/\"junk" + i + "\"");
            RawHttp.get("/\"junk" + i + "\"");
        }
        Tenants tenants = Tenants.local();
        String dispensary = tenants.newDispensary();
        String key = tenants.storefrontKey(dispensary);
        String number = tenants.as(key)
                .contentType(ContentType.JSON)
                .body(OrderFixtures.pickup(dispensary))
                .post("/orders")
                .then()
                .statusCode(201)
                .extract()
                .path("orderNumber");
        double before = Management.valueOrZero(Management.scrape(), GET_ORDER);
        tenants.as(key).get("/orders/" + number).then().statusCode(200);

        String scrape = Management.awaitValue(GET_ORDER, before + 1);
        Set<String> uris = new TreeSet<>();
        Matcher matcher = URI_TAG.matcher(scrape);
        while (matcher.find()) {
            uris.add(matcher.group(1));
        }
        assertThat(uris).noneMatch(uri -> uri.contains("junk")).contains("/orders/{orderNumber}", "UNMATCHED");
    }
}
