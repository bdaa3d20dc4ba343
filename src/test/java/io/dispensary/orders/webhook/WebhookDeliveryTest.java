package io.dispensary.orders.webhook;

import static io.dispensary.orders.webhook.Receiver.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dispensary.orders.order.OrderFixtures;
import io.dispensary.orders.order.OrderService;
import io.dispensary.orders.order.OrderStatus;
import io.dispensary.orders.order.TransitionRequest;
import io.dispensary.orders.tenant.Caller;
import io.dispensary.orders.tenant.Role;
import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.Database;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Order events delivered to real HTTP receivers: signed per Standard Webhooks, in order, retried on the test
 * profile's schedule (1 s, 1 s, 2 s: four attempts), accounted for, and written only with their order change.
 */
@QuarkusTest
class WebhookDeliveryTest {

    private static final Tenants TENANTS = Tenants.local();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Webhooks webhooks = new Webhooks(TENANTS);

    @org.junit.jupiter.api.AfterEach
    void deleteSubscriptions() {
        webhooks.deleteAll();
    }

    @Inject
    OrderService orders;

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyOrderChangeArrivesSignedThinAndInOrder() throws Exception {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        try (Receiver receiver = Receiver.start()) {
            Webhooks.Subscribed subscribed = webhooks.subscribe(dispensary, receiver.url(), false);
            String number = TENANTS.createOrder(key, OrderFixtures.pickup(dispensary));
            TENANTS.moveOrder(key, number, "CONFIRMED");
            TENANTS.moveOrder(key, number, "READY_FOR_PICKUP");
            TENANTS.moveOrder(key, number, "COMPLETED");
            await(PATIENCE, "4 deliveries", () -> receiver.received().size() == 4);

            List<Receiver.Received> received = receiver.received();
            List<String> statuses = new ArrayList<>();
            for (Receiver.Received each : received) {
                assertThat(Verifier.verifies(
                                subscribed.secret(), each.id(), each.timestamp(), each.body(), each.signature()))
                        .as("signature of %s", each.id())
                        .isTrue();
                assertThat(Math.abs(
                                Long.parseLong(each.timestamp()) - Instant.now().getEpochSecond()))
                        .isLessThan(300);
                JsonNode body = json(each.body());
                assertThat(body.get("data").get("orderNumber").asText()).isEqualTo(number);
                assertThat(body.get("data").get("dispensaryId").asText()).isEqualTo(dispensary);
                assertThat(body.get("data").get("test").asBoolean()).isFalse();
                // Thin: nothing about the customer, the items or the address.
                assertThat(each.body()).doesNotContain("Ada", "ada@example.com", "+1415", "1990-12-10", "OG Kush");
                statuses.add(body.get("type").asText() + ":"
                        + body.get("data").get("previousStatus").asText("-") + ">"
                        + body.get("data").get("status").asText() + "@"
                        + body.get("data").get("version").asInt());
            }
            assertThat(statuses)
                    .containsExactly(
                            "order.created:->PENDING@0",
                            "order.status_changed:PENDING>CONFIRMED@1",
                            "order.status_changed:CONFIRMED>READY_FOR_PICKUP@2",
                            "order.status_changed:READY_FOR_PICKUP>COMPLETED@3");
            assertThat(new HashSet<>(
                            received.stream().map(Receiver.Received::id).toList()))
                    .hasSize(4);
            assertThat(json(received.get(0).body()).fieldNames())
                    .toIterable()
                    .containsExactly("type", "timestamp", "data");
            assertThat(webhooks.summary(subscribed.id()))
                    .containsEntry("created", 4L)
                    .containsEntry("delivered", 4L);
        }
    }

    @Test
    void anOrdersLaterEventWaitsWhileAnEarlierOneIsRetried() throws Exception {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        // The first request (the order's created event) fails, so it is retried after 1 s; its status change,
        // written meanwhile, must not overtake it.
        try (Receiver receiver = Receiver.start().answering(n -> n == 0 ? 500 : 204)) {
            Webhooks.Subscribed subscribed = webhooks.subscribe(dispensary, receiver.url(), false);
            String number = TENANTS.createOrder(key, OrderFixtures.pickup(dispensary));
            await(PATIENCE, "the first attempt", () -> receiver.requests() == 1);
            TENANTS.moveOrder(key, number, "CONFIRMED");
            await(
                    PATIENCE,
                    "both delivered",
                    () -> webhooks.summary(subscribed.id()).get("delivered") == 2);

            assertThat(receiver.received().stream()
                            .map(each -> json(each.body()).get("type").asText())
                            .toList())
                    .containsExactly("order.created", "order.created", "order.status_changed");
        }
    }

    @Test
    void afterARotationEachDeliveryIsSignedWithBothSecretsAndEitherVerifiesIt() throws Exception {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        try (Receiver receiver = Receiver.start()) {
            Webhooks.Subscribed subscribed = webhooks.subscribe(dispensary, receiver.url(), false);
            String rotated = TENANTS.admin()
                    .post("/admin/webhooks/" + subscribed.id() + "/secret")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("secret");
            TENANTS.createOrder(key, OrderFixtures.pickup(dispensary));
            await(PATIENCE, "a delivery", () -> receiver.received().size() == 1);

            Receiver.Received each = receiver.received().get(0);
            assertThat(each.signature().split(" ")).hasSize(2);
            for (String secret : List.of(rotated, subscribed.secret())) {
                assertThat(Verifier.verifies(secret, each.id(), each.timestamp(), each.body(), each.signature()))
                        .isTrue();
            }
        }
    }

    @Test
    void deliveriesAreListedPageByPageInEventOrder() throws Exception {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        try (Receiver receiver = Receiver.start()) {
            Webhooks.Subscribed subscribed = webhooks.subscribe(dispensary, receiver.url(), false);
            List<String> numbers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                numbers.add(TENANTS.createOrder(key, OrderFixtures.pickup(dispensary)));
            }
            await(
                    PATIENCE,
                    "5 delivered",
                    () -> webhooks.summary(subscribed.id()).get("delivered") == 5);

            List<String> listed = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                var request = TENANTS.admin().queryParam("limit", 2);
                if (cursor != null) {
                    request.queryParam("cursor", cursor);
                }
                var page = request.get("/admin/webhooks/" + subscribed.id() + "/deliveries")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
                listed.addAll(page.getList("deliveries.orderNumber"));
                assertThat(page.getList("deliveries.status")).containsOnly("delivered");
                cursor = page.getString("nextCursor");
                pages++;
            } while (cursor != null);
            assertThat(pages).isEqualTo(3);
            assertThat(listed).isEqualTo(numbers);
        }
    }

    @Test
    void fourHundredOrdersGiveFourHundredDeliveriesAndTheSummaryAddsUp() throws Exception {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        try (Receiver receiver = Receiver.start()) {
            Webhooks.Subscribed subscribed = webhooks.subscribe(dispensary, receiver.url(), false);
            java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
            List<java.util.concurrent.Future<String>> created = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                created.add(clients.submit(() -> TENANTS.createOrder(key, OrderFixtures.pickup(dispensary))));
            }
            List<String> numbers = new ArrayList<>();
            for (var each : created) {
                numbers.add(each.get());
            }
            clients.shutdown();
            await(
                    PATIENCE,
                    "400 delivered",
                    () -> webhooks.summary(subscribed.id()).get("delivered") == 400);

            assertThat(webhooks.summary(subscribed.id()))
                    .isEqualTo(Map.of(
                            "created",
                            400L,
                            "delivered",
                            400L,
                            "pending",
                            0L,
                            "retrying",
                            0L,
                            "dead",
                            0L,
                            "cancelled",
                            0L));
            List<String> delivered = receiver.received().stream()
                    .map(each ->
                            json(each.body()).get("data").get("orderNumber").asText())
                    .toList();
            assertThat(new HashSet<>(delivered)).isEqualTo(new HashSet<>(numbers));
        }
    }

    @Test
    void aReceiverThatFailsThreeTimesGetsTheEventOnTheFourthAttemptWithTheSameId() throws Exception {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        try (Receiver receiver = Receiver.start().answering(n -> n < 3 ? 500 : 200)) {
            Webhooks.Subscribed subscribed = webhooks.subscribe(dispensary, receiver.url(), false);
            TENANTS.createOrder(key, OrderFixtures.pickup(dispensary));
            await(PATIENCE, "delivered", () -> webhooks.summary(subscribed.id()).get("delivered") == 1);

            assertThat(receiver.attemptsById()).hasSize(1).containsValue(4);
            var delivery = webhooks.deliveries(subscribed.id(), "delivered");
            assertThat(delivery.getInt("deliveries[0].attempts")).isEqualTo(4);
            assertThat(delivery.getInt("deliveries[0].lastStatusCode")).isEqualTo(200);
            // Each attempt is signed afresh (its own timestamp), and each signature verifies.
            for (Receiver.Received each : receiver.received()) {
                assertThat(Verifier.verifies(
                                subscribed.secret(), each.id(), each.timestamp(), each.body(), each.signature()))
                        .isTrue();
            }
        }
    }

    @Test
    void aReceiverThatAlwaysFailsMakesTheDeliveryDeadUntilAnAdminRetriesIt() throws Exception {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        java.util.concurrent.atomic.AtomicInteger answer = new java.util.concurrent.atomic.AtomicInteger(503);
        try (Receiver receiver = Receiver.start().answering(n -> answer.get())) {
            Webhooks.Subscribed subscribed = webhooks.subscribe(dispensary, receiver.url(), false);
            TENANTS.createOrder(key, OrderFixtures.pickup(dispensary));
            await(PATIENCE, "dead", () -> webhooks.summary(subscribed.id()).get("dead") == 1);

            var dead = webhooks.deliveries(subscribed.id(), "dead");
            String eventId = dead.getString("deliveries[0].eventId");
            assertThat(dead.getInt("deliveries[0].attempts")).isEqualTo(4);
            assertThat(dead.getInt("deliveries[0].lastStatusCode")).isEqualTo(503);
            assertThat(dead.getString("deliveries[0].lastError")).isEqualTo("HTTP 503");
            assertThat(receiver.requests()).isEqualTo(4);
            Thread.sleep(2500);
            assertThat(receiver.requests())
                    .as("a dead delivery is not tried again by itself")
                    .isEqualTo(4);

            answer.set(200);
            TENANTS.admin()
                    .post("/admin/webhooks/" + subscribed.id() + "/deliveries/" + eventId + "/retry")
                    .then()
                    .statusCode(202);
            await(PATIENCE, "delivered", () -> webhooks.summary(subscribed.id()).get("delivered") == 1);
            assertThat(webhooks.summary(subscribed.id()))
                    .containsEntry("dead", 0L)
                    .containsEntry("created", 1L);
            TENANTS.admin()
                    .post("/admin/webhooks/" + subscribed.id() + "/deliveries/" + eventId + "/retry")
                    .then()
                    .statusCode(409);
        }
    }

    @Test
    void aHangingReceiverDelaysNoOtherSubscriptionByMoreThanASecond() throws Exception {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        try (Receiver hanging = Receiver.start().hanging();
                Receiver healthy = Receiver.start()) {
            webhooks.subscribe(dispensary, hanging.url(), false);
            webhooks.subscribe(dispensary, healthy.url(), false);
            Map<String, Instant> createdAt = new java.util.HashMap<>();
            for (int i = 0; i < 12; i++) {
                String number = TENANTS.createOrder(key, OrderFixtures.pickup(dispensary));
                createdAt.put(number, Instant.now());
                Thread.sleep(250);
            }
            await(
                    PATIENCE,
                    "12 deliveries to the healthy receiver",
                    () -> healthy.received().size() == 12);
            assertThat(hanging.requests()).as("the hanging receiver was tried").isPositive();

            for (Receiver.Received each : healthy.received()) {
                String number = json(each.body()).get("data").get("orderNumber").asText();
                assertThat(Duration.between(createdAt.get(number), each.at()))
                        .as("delay of %s", number)
                        .isLessThan(Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void testOrdersEventsGoOnlyToSubscriptionsThatAskForThem() throws Exception {
        String dispensary = TENANTS.newDispensary();
        String staff = TENANTS.internalKey();
        try (Receiver production = Receiver.start();
                Receiver both = Receiver.start()) {
            Webhooks.Subscribed productionOnly = webhooks.subscribe(dispensary, production.url(), false);
            Webhooks.Subscribed withTest = webhooks.subscribe(dispensary, both.url(), true);
            String number = TENANTS.createOrder(staff, OrderFixtures.testOrder(dispensary));
            await(PATIENCE, "the test order's event", () -> both.received().size() == 1);

            JsonNode body = json(both.received().get(0).body());
            assertThat(body.get("data").get("test").asBoolean()).isTrue();
            assertThat(body.get("data").get("orderNumber").asText())
                    .isEqualTo(number)
                    .endsWith("-T");
            assertThat(webhooks.summary(productionOnly.id())).containsEntry("created", 0L);
            assertThat(webhooks.summary(withTest.id())).containsEntry("created", 1L);
            assertThat(production.requests()).isZero();
        }
    }

    @Test
    void aCreateRefusedAfterItsIdempotencyClaimLeavesNoEvent() throws Exception {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        webhooks.subscribe(dispensary, "http://127.0.0.1:9/hook", false);
        // 35 g of flower: over the 28.35 g limit, refused once the idempotency key is claimed.
        TENANTS.as(key)
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", "refused-" + dispensary)
                .body(OrderFixtures.pickup(dispensary).replace("\"quantity\": 2", "\"quantity\": 10"))
                .post("/orders")
                .then()
                .statusCode(422);
        assertThat(Database.count("SELECT count(*) FROM order_event WHERE dispensary_id = ?", dispensary))
                .isZero();
        assertThat(Database.count(
                        "SELECT count(*) FROM webhook_delivery d JOIN webhook_subscription s ON s.id = d.subscription_id"
                                + " WHERE s.dispensary_id = ?",
                        dispensary))
                .isZero();
    }

    @Test
    void aRolledBackTransitionLeavesNeitherItsStatusNorItsEvent() throws Exception {
        String dispensary = TENANTS.newDispensary();
        Tenants.Key key = TENANTS.storefront(dispensary);
        webhooks.subscribe(dispensary, "http://127.0.0.1:9/hook", false);
        String number = TENANTS.createOrder(key.apiKey(), OrderFixtures.pickup(dispensary));
        Caller caller = new Caller(key.keyId(), Role.STOREFRONT, dispensary);

        QuarkusTransaction.begin();
        try {
            orders.transition(number, new TransitionRequest(OrderStatus.CONFIRMED, null), null, caller);
            assertThat(countInThisTransaction(number))
                    .as("the event is written in the transition's transaction")
                    .isEqualTo(2);
        } finally {
            QuarkusTransaction.rollback();
        }

        assertThat(Database.count("SELECT count(*) FROM order_event WHERE order_number = ?", number))
                .isOne();
        TENANTS.as(key.apiKey())
                .get("/orders/" + number)
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("PENDING"));
    }

    @Inject
    javax.sql.DataSource dataSource;

    /** Counted on the transaction's own connection, which sees what it has not committed. */
    private long countInThisTransaction(String number) throws java.sql.SQLException {
        try (var connection = dataSource.getConnection();
                var count = connection.prepareStatement("SELECT count(*) FROM order_event WHERE order_number = ?")) {
            count.setString(1, number);
            try (var row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
