package io.dispensary.orders.webhook;

import static io.dispensary.orders.webhook.Receiver.await;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dispensary.orders.order.OrderFixtures;
import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.Database;
import io.dispensary.orders.testing.ServiceProcess;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Webhooks from several packaged instances on one database, as replicas in production: they share the work and
 * send each event once, keep the events of an order in order, and a delivery cut off by a killed instance is sent
 * again, with the same webhook-id, once its lease ends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookInstancesIT {

    private static final String ORDER_NUMBER_KEY = "3c5e7a9b1d2f40516273849a5b6c7d8e";
    private static final int ORDERS = 300;
    private static final int ORDERED_ORDERS = 20;
    private static final int IN_FLIGHT_ORDERS = 5;
    /** The kill test's lease: the killed instance's deliveries are due again this long after it claimed them. */
    private static final String LEASE = "10s";

    private static final Duration PATIENCE = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUCCESSES =
            Pattern.compile("^orders_webhook_attempts_total\\{([^}]*)\\} ([0-9.E+]+)$", Pattern.MULTILINE);

    /** The two instances the first tests share, on one schema; each test has its own dispensary and receiver. */
    private ServiceProcess a;

    private ServiceProcess b;

    @BeforeAll
    void startTwoInstances() throws Exception {
        String url = Database.freshSchema("webhook_two");
        a = ServiceProcess.start(url, env()).awaitReady();
        // After A: Flyway has migrated the schema, so B only validates it.
        b = ServiceProcess.start(url, env()).awaitReady();
    }

    @AfterAll
    void stopThem() throws InterruptedException {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void twoInstancesDeliverEveryEventOnceWithItsOwnIdAndBothDoTheirShare() throws Exception {
        Tenants viaA = Tenants.at(a.baseUri(), Tenants.IT_ADMIN_TOKEN);
        Tenants viaB = Tenants.at(b.baseUri(), Tenants.IT_ADMIN_TOKEN);
        String dispensary = viaA.newDispensary();
        String key = viaA.storefrontKey(dispensary);
        try (Receiver receiver = Receiver.start()) {
            Webhooks.Subscribed subscribed = new Webhooks(viaA).subscribe(dispensary, receiver.url(), false);

            ExecutorService clients = Executors.newFixedThreadPool(6);
            List<Future<String>> created = new ArrayList<>();
            for (int i = 0; i < ORDERS; i++) {
                Tenants on = i % 2 == 0 ? viaA : viaB;
                created.add(clients.submit(() -> on.createOrder(key, OrderFixtures.pickup(dispensary))));
            }
            Set<String> numbers = new HashSet<>();
            for (Future<String> each : created) {
                numbers.add(each.get());
            }
            clients.shutdown();
            assertThat(numbers).hasSize(ORDERS);

            Webhooks summaryViaB = new Webhooks(viaB);
            await(
                    PATIENCE,
                    ORDERS + " delivered",
                    () -> summaryViaB.summary(subscribed.id()).get("delivered") == ORDERS);
            assertThat(summaryViaB.summary(subscribed.id())).isEqualTo(settled(ORDERS));

            // An id is one event: one order number, and the same bytes every time it is sent.
            Map<String, Set<String>> bodiesById = new TreeMap<>();
            Map<String, String> idByNumber = new HashMap<>();
            for (Receiver.Received each : receiver.received()) {
                bodiesById.computeIfAbsent(each.id(), id -> new HashSet<>()).add(each.body());
                String number = data(each.body()).get("orderNumber").asText();
                String before = idByNumber.putIfAbsent(number, each.id());
                assertThat(before == null || before.equals(each.id()))
                        .as("order %s arrived under two webhook-ids, %s and %s", number, before, each.id())
                        .isTrue();
            }
            assertThat(bodiesById).hasSize(ORDERS).allSatisfy((id, bodies) -> assertThat(bodies)
                    .as("bodies sent as %s", id)
                    .hasSize(1));
            assertThat(idByNumber.keySet()).isEqualTo(numbers);
            // No instance died, so no lease ran out: SKIP LOCKED gave each delivery to one of them, once.
            assertThat(receiver.attemptsById())
                    .as("requests per webhook-id")
                    .hasSize(ORDERS)
                    .allSatisfy((id, attempts) -> assertThat(attempts).as(id).isEqualTo(1));

            double byA = successes(a, subscribed.id());
            double byB = successes(b, subscribed.id());
            assertThat(byA).as("deliveries by A").isPositive();
            assertThat(byB).as("deliveries by B").isPositive();
            assertThat(byA + byB).as("deliveries by A and B").isEqualTo(ORDERS);
        }
    }

    @Test
    void theEventsOfAnOrderChangedOnBothInstancesArriveInTheOrderTheyHappenedEvenWhenOneIsRetried() throws Exception {
        Tenants viaA = Tenants.at(a.baseUri(), Tenants.IT_ADMIN_TOKEN);
        Tenants viaB = Tenants.at(b.baseUri(), Tenants.IT_ADMIN_TOKEN);
        String dispensary = viaA.newDispensary();
        String key = viaA.storefrontKey(dispensary);
        // Every fourth request fails: while an event waits for its retry (1 s), its order's next event is due on the
        // other instance, and only the claim's order rule keeps it back.
        try (Receiver receiver = Receiver.start().answering(n -> n % 4 == 1 ? 500 : 204)) {
            Webhooks.Subscribed subscribed = new Webhooks(viaA).subscribe(dispensary, receiver.url(), false);

            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<String>> changed = new ArrayList<>();
            for (int i = 0; i < ORDERED_ORDERS; i++) {
                Tenants first = i % 2 == 0 ? viaA : viaB;
                Tenants second = i % 2 == 0 ? viaB : viaA;
                changed.add(clients.submit(() -> {
                    String number = first.createOrder(key, OrderFixtures.pickup(dispensary));
                    second.moveOrder(key, number, "CONFIRMED");
                    first.moveOrder(key, number, "READY_FOR_PICKUP");
                    return number;
                }));
            }
            Set<String> numbers = new HashSet<>();
            for (Future<String> each : changed) {
                numbers.add(each.get());
            }
            clients.shutdown();

            Webhooks webhooks = new Webhooks(viaB);
            await(
                    PATIENCE,
                    3 * ORDERED_ORDERS + " delivered",
                    () -> webhooks.summary(subscribed.id()).get("delivered") == 3 * ORDERED_ORDERS);

            Map<String, List<String>> attemptsByOrder = new TreeMap<>();
            Map<String, List<String>> deliveredByOrder = new TreeMap<>();
            for (Receiver.Received each : receiver.received()) {
                JsonNode data = data(each.body());
                String event = json(each.body()).get("type").asText() + ":"
                        + data.get("status").asText() + "@"
                        + data.get("version").asInt();
                String number = data.get("orderNumber").asText();
                attemptsByOrder.computeIfAbsent(number, n -> new ArrayList<>()).add(event);
                if (each.status() == 204) {
                    deliveredByOrder
                            .computeIfAbsent(number, n -> new ArrayList<>())
                            .add(event);
                }
            }
            assertThat(receiver.requests()).as("requests, failed ones included").isGreaterThan(3 * ORDERED_ORDERS);
            assertThat(deliveredByOrder.keySet()).isEqualTo(numbers);
            assertThat(deliveredByOrder).allSatisfy((number, events) -> assertThat(events)
                    .as("events of %s as they were delivered", number)
                    .containsExactly(
                            "order.created:PENDING@0",
                            "order.status_changed:CONFIRMED@1",
                            "order.status_changed:READY_FOR_PICKUP@2"));
            // Not even an attempt of a later event before the earlier one is delivered.
            assertThat(attemptsByOrder).allSatisfy((number, events) -> assertThat(events)
                    .as("attempts of %s as they arrived", number)
                    .isSortedAccordingTo(java.util.Comparator.comparing(
                            event -> Integer.parseInt(event.substring(event.indexOf('@') + 1)))));
            assertThat(successes(a, subscribed.id())).as("deliveries by A").isPositive();
            assertThat(successes(b, subscribed.id())).as("deliveries by B").isPositive();
        }
    }

    @Test
    void deliveriesInFlightOnAKilledInstanceAreSentByAnotherWithTheSameIdOnceTheirLeaseEnds() throws Exception {
        String url = Database.freshSchema("webhook_kill");
        Map<String, String> env = env();
        env.put("ORDERS_WEBHOOKS_LEASE", LEASE);
        env.put("ORDERS_WEBHOOKS_REQUEST_TIMEOUT", "4s");
        try (Receiver receiver = Receiver.start().hanging();
                ServiceProcess first = ServiceProcess.start(url, env).awaitReady()) {
            Tenants viaFirst = Tenants.at(first.baseUri(), Tenants.IT_ADMIN_TOKEN);
            String dispensary = viaFirst.newDispensary();
            String key = viaFirst.storefrontKey(dispensary);
            Webhooks.Subscribed subscribed = new Webhooks(viaFirst).subscribe(dispensary, receiver.url(), false);
            // All at once: the first two are claimed at their commit, and the kill must come within the request
            // timeout after that, however slow the machine is at creating the other three.
            ExecutorService clients = Executors.newFixedThreadPool(IN_FLIGHT_ORDERS);
            List<Future<String>> created = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT_ORDERS; i++) {
                created.add(clients.submit(() -> viaFirst.createOrder(key, OrderFixtures.pickup(dispensary))));
            }
            Set<String> numbers = new HashSet<>();
            for (Future<String> each : created) {
                numbers.add(each.get());
            }
            clients.shutdown();

            // Within the 4 s request timeout, so the first instance is still waiting for both answers.
            await(Duration.ofSeconds(3), "two requests in flight", () -> receiver.requests() >= 2);
            first.kill();
            Set<String> inFlight = receiver.attemptsById().keySet();
            receiver.stopHanging();
            // Two per subscription per instance (orders.webhooks.concurrency-per-subscription).
            assertThat(inFlight)
                    .as("webhook-ids the killed instance had in flight")
                    .hasSize(2);
            Map<String, Instant> leasedUntil = leases(url);
            assertThat(leasedUntil.keySet())
                    .as("deliveries the killed instance left leased, unrecorded")
                    .isEqualTo(inFlight);

            try (ServiceProcess second = ServiceProcess.start(url, env).awaitReady()) {
                Webhooks webhooks = new Webhooks(Tenants.at(second.baseUri(), Tenants.IT_ADMIN_TOKEN));
                await(
                        PATIENCE,
                        IN_FLIGHT_ORDERS + " delivered by the second instance",
                        () -> webhooks.summary(subscribed.id()).get("delivered") == IN_FLIGHT_ORDERS);
                assertThat(webhooks.summary(subscribed.id())).isEqualTo(settled(IN_FLIGHT_ORDERS));

                // Only the second instance answered anything: the killed one's requests are still hanging.
                List<Receiver.Received> received = receiver.received();
                assertThat(received.stream()
                                .map(each ->
                                        data(each.body()).get("orderNumber").asText())
                                .toList())
                        .containsExactlyInAnyOrderElementsOf(numbers);
                Map<String, Integer> attempts = receiver.attemptsById();
                assertThat(attempts).hasSize(IN_FLIGHT_ORDERS).allSatisfy((id, count) -> assertThat(count)
                        .as("requests with webhook-id %s", id)
                        .isEqualTo(inFlight.contains(id) ? 2 : 1));
                for (Receiver.Received each : received) {
                    if (inFlight.contains(each.id())) {
                        // Not taken from a live instance early: only when the lease the killed one held ran out.
                        assertThat(each.at())
                                .as("resent %s", each.id())
                                .isAfterOrEqualTo(leasedUntil.get(each.id()).minusMillis(100));
                    }
                }
                JsonPath delivered = webhooks.deliveries(subscribed.id(), "delivered");
                for (String id : attempts.keySet()) {
                    assertThat(delivered.getInt("deliveries.find { it.eventId == '" + id + "' }.attempts"))
                            .as("attempts recorded for %s", id)
                            .isEqualTo(inFlight.contains(id) ? 2 : 1);
                }
                assertThat(successes(second, subscribed.id())).isEqualTo(IN_FLIGHT_ORDERS);
            }
        }
    }

    private static Map<String, String> env() {
        return ServiceProcess.settings(
                "ORDERS_ORDER_NUMBER_KEY",
                ORDER_NUMBER_KEY,
                "ORDERS_ADMIN_TOKEN",
                Tenants.IT_ADMIN_TOKEN,
                // The receivers listen on 127.0.0.1, which prod refuses as a target otherwise.
                "ORDERS_WEBHOOKS_ALLOW_PRIVATE_TARGETS",
                "true",
                "ORDERS_WEBHOOKS_RETRY_SCHEDULE",
                "1s,1s,2s,4s,8s");
    }

    /** The deliveries under a lease, and until when: read beside the service, as an operator would. */
    private static Map<String, Instant> leases(String url) throws SQLException {
        Map<String, Instant> leases = new TreeMap<>();
        try (Connection connection = Database.connect(url);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT event_id, leased_until FROM webhook_delivery WHERE leased_until IS NOT NULL")) {
            while (row.next()) {
                leases.put(row.getString(1), row.getTimestamp(2).toInstant());
            }
        }
        return leases;
    }

    private static Map<String, Long> settled(long delivered) {
        return Map.of(
                "created",
                delivered,
                "delivered",
                delivered,
                "pending",
                0L,
                "retrying",
                0L,
                "dead",
                0L,
                "cancelled",
                0L);
    }

    /** This instance's successful requests to the subscription's receiver: the meter counts per instance. */
    private static double successes(ServiceProcess service, String subscription) {
        String metrics = given().baseUri(service.managementUri())
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Matcher line = SUCCESSES.matcher(metrics);
        while (line.find()) {
            if (line.group(1).contains("outcome=\"success\"")
                    && line.group(1).contains("subscription=\"" + subscription + "\"")) {
                return Double.parseDouble(line.group(2));
            }
        }
        return 0;
    }

    private static JsonNode data(String body) {
        return json(body).get("data");
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
