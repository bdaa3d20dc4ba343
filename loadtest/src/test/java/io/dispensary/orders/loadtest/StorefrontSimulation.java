package io.dispensary.orders.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The storefront's day: a shopper creates an order (with an Idempotency-Key, as checkouts do), reads it back, and
 * sometimes lists recent orders; staff mix in test orders with an INTERNAL key. Open model at a fixed arrival
 * rate, so a slow service meets the same traffic instead of being politely waited for. Fails the run when
 * create-order p99 reaches the SLO threshold or more than 0.1% of requests fail.
 *
 * <p>System properties (set by loadtest/lib/suite.sh): baseUrl, storefrontKeys and dispensaries (comma-separated,
 * pairwise), internalKey, usersPerSec, seconds, sloMs.
 */
public class StorefrontSimulation extends Simulation {

    private static final String BASE_URL = System.getProperty("baseUrl", "http://localhost:8080");
    private static final String[] STOREFRONT_KEYS = System.getProperty("storefrontKeys", "").split(",");
    private static final String[] DISPENSARIES = System.getProperty("dispensaries", "").split(",");
    private static final String INTERNAL_KEY = System.getProperty("internalKey", "");
    private static final double USERS_PER_SEC = Double.parseDouble(System.getProperty("usersPerSec", "20"));
    private static final int SECONDS = Integer.parseInt(System.getProperty("seconds", "60"));
    private static final int SLO_MS = Integer.parseInt(System.getProperty("sloMs", "300"));

    private static final String ORDER = """
            {"dispensaryId": "#{dispensaryId}",#{testFlag}
             "customer": {"name": "Ada Lovelace", "phone": "+14155550123", "email": "ada@example.com",
                          "birthDate": "1990-12-10", "type": "#{customerType}"},
             "fulfillment": "#{fulfillment}",#{address}
             "items": [{"sku": "FL-OG-35", "name": "OG Kush 3.5g", "category": "FLOWER", "quantity": #{quantity},
                        "unitPriceCents": 3500, "netWeightGrams": 3.5},
                       {"sku": "ED-GUM-10", "name": "Gummies 10mg", "category": "EDIBLE", "quantity": 1,
                        "unitPriceCents": 1899, "thcMg": 100}]}""";
    private static final String ADDRESS = """

             "deliveryAddress": {"line1": "1 Market St", "city": "San Francisco", "region": "CA",
                                 "postalCode": "94105"},""";

    /** A shopper of one of the dispensaries, with its storefront key. */
    private static Iterator<Map<String, Object>> shoppers(boolean test) {
        return Stream.generate((Supplier<Map<String, Object>>) () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int tenant = random.nextInt(DISPENSARIES.length);
            boolean delivery = random.nextInt(4) == 0;
            return Map.of(
                    "dispensaryId", DISPENSARIES[tenant],
                    "apiKey", test ? INTERNAL_KEY : STOREFRONT_KEYS[tenant],
                    "testFlag", test ? " \"test\": true," : "",
                    "customerType", random.nextInt(5) == 0 ? "MEDICAL" : "RECREATIONAL",
                    "fulfillment", delivery ? "DELIVERY" : "PICKUP",
                    "address", delivery ? ADDRESS : "",
                    "quantity", 1 + random.nextInt(3),
                    "idempotencyKey", UUID.randomUUID().toString());
        }).iterator();
    }

    private static ChainBuilder createAndRead(String create, String get) {
        return exec(http(create).post("/orders")
                .header("Authorization", "Bearer #{apiKey}")
                .header("Idempotency-Key", "#{idempotencyKey}")
                .body(StringBody(ORDER)).asJson()
                .check(status().is(201), header("Location").exists(),
                        jsonPath("$.orderNumber").saveAs("orderNumber")))
                .exitHereIfFailed()
                .exec(http(get).get("/orders/#{orderNumber}")
                        .header("Authorization", "Bearer #{apiKey}")
                        .check(status().is(200)));
    }

    private final ScenarioBuilder storefront = scenario("storefront")
            .feed(shoppers(false))
            .exec(createAndRead("create order", "get order"))
            .randomSwitch().on(percent(30.0).then(exec(http("list orders").get("/orders?limit=20")
                    .header("Authorization", "Bearer #{apiKey}")
                    .check(status().is(200), jsonPath("$.items").exists()))));

    private final ScenarioBuilder staff = scenario("staff test orders")
            .feed(shoppers(true))
            .exec(createAndRead("create test order", "get test order"))
            .exec(http("list test orders").get("/orders?dispensaryId=#{dispensaryId}&test=true&limit=20")
                    .header("Authorization", "Bearer #{apiKey}")
                    .check(status().is(200)));

    private final HttpProtocolBuilder protocol = http.baseUrl(BASE_URL)
            .acceptHeader("application/json")
            .contentTypeHeader("application/json")
            .shareConnections();

    {
        // 9 storefront orders for each staff test order.
        setUp(
                storefront.injectOpen(constantUsersPerSec(USERS_PER_SEC * 0.9).during(SECONDS)),
                staff.injectOpen(nothingFor(1), constantUsersPerSec(USERS_PER_SEC * 0.1).during(SECONDS - 1)))
                .protocols(protocol)
                .assertions(
                        details("create order").responseTime().percentile(99.0).lt(SLO_MS),
                        global().failedRequests().percent().lte(0.1));
    }
}
