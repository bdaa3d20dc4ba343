package io.dispensary.orders.webhook;

import static io.dispensary.orders.webhook.Receiver.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.order.OrderFixtures;
import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.Database;
import io.dispensary.orders.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What operators see of deliveries: the meters, the delivery SLO, and the outbox pruned without losing a count. */
@QuarkusTest
class WebhookAccountingTest {

    private static final Tenants TENANTS = Tenants.local();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Webhooks webhooks = new Webhooks(TENANTS);

    @org.junit.jupiter.api.AfterEach
    void deleteSubscriptions() {
        webhooks.deleteAll();
    }

    @Inject
    WebhookMonitor monitor;

    @Test
    void attemptsResultsBacklogAndLagAreExportedBySubscription() throws Exception {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        try (Receiver healthy = Receiver.start();
                Receiver failing = Receiver.start().answering(n -> 500)) {
            Webhooks.Subscribed good = webhooks.subscribe(dispensary, healthy.url(), false);
            Webhooks.Subscribed bad = webhooks.subscribe(dispensary, failing.url(), false);
            TENANTS.createOrder(key, OrderFixtures.pickup(dispensary));
            await(
                    PATIENCE,
                    "delivered and retrying",
                    () -> webhooks.summary(good.id()).get("delivered") == 1
                            && webhooks.summary(bad.id()).get("retrying") == 1);
            monitor.run();

            String scrape = Management.scrape();
            assertThat(Management.value(
                            scrape,
                            "orders_webhook_attempts_total{outcome=\"success\",subscription=\"" + good.id() + "\"}"))
                    .isEqualTo(1);
            assertThat(Management.value(
                            scrape,
                            "orders_webhook_deliveries_total{result=\"delivered\",subscription=\"" + good.id() + "\"}"))
                    .isEqualTo(1);
            assertThat(Management.value(
                            scrape,
                            "orders_webhook_attempts_total{outcome=\"failure\",subscription=\"" + bad.id() + "\"}"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(Management.value(
                            scrape, "orders_webhook_backlog{status=\"retrying\",subscription=\"" + bad.id() + "\"}"))
                    .isEqualTo(1);
            assertThat(Management.value(
                            scrape, "orders_webhook_backlog{status=\"pending\",subscription=\"" + good.id() + "\"}"))
                    .isZero();
            assertThat(Management.value(
                            scrape,
                            "orders_webhook_lag_seconds{status=\"retrying\",subscription=\"" + bad.id() + "\"}"))
                    .isPositive();
            assertThat(Management.value(
                            scrape,
                            "orders_webhook_lag_seconds{status=\"pending\",subscription=\"" + good.id() + "\"}"))
                    .isZero();

            // A deleted subscription's gauges go with it: the series stay bounded by the live subscriptions.
            TENANTS.admin().delete("/admin/webhooks/" + bad.id()).then().statusCode(204);
            monitor.run();
            assertThat(Management.scrape())
                    .doesNotContain("orders_webhook_backlog{status=\"retrying\",subscription=\"" + bad.id());
        }
    }

    @Test
    void theDeliverySloIsShownInSloStatusAndCountsOnlyReceiversThatNeverFailed() throws Exception {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        String good = "orders_slo_requests_total{result=\"good\",slo=\"webhook-delivery\"}";
        String bad = "orders_slo_requests_total{result=\"bad\",slo=\"webhook-delivery\"}";
        String before = Management.scrape();
        double goodBefore = Management.valueOrZero(before, good);
        double badBefore = Management.valueOrZero(before, bad);
        try (Receiver healthy = Receiver.start();
                Receiver flaky = Receiver.start().answering(n -> n == 0 ? 500 : 204)) {
            Webhooks.Subscribed first = webhooks.subscribe(dispensary, healthy.url(), false);
            Webhooks.Subscribed second = webhooks.subscribe(dispensary, flaky.url(), false);
            TENANTS.createOrder(key, OrderFixtures.pickup(dispensary));
            await(
                    PATIENCE,
                    "both delivered",
                    () -> webhooks.summary(first.id()).get("delivered") == 1
                            && webhooks.summary(second.id()).get("delivered") == 1);
        }
        String after = Management.scrape();
        assertThat(Management.valueOrZero(after, good) - goodBefore)
                .as("one good delivery: the flaky receiver's does not count")
                .isEqualTo(1);
        assertThat(Management.valueOrZero(after, bad) - badBefore).isZero();
        RestAssured.given()
                .get(Management.url("/q/slo"))
                .then()
                .statusCode(200)
                .body("'webhook-delivery'.state", org.hamcrest.Matchers.notNullValue())
                // The same evidence rule as the endpoints': orders.slo-min-requests.
                .body("'webhook-delivery'.minRequests", org.hamcrest.Matchers.equalTo(100))
                .body("'webhook-delivery'.stateReason", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void pruningRemovesOldDeliveredAndCancelledDeliveriesKeepsDeadOnesAndTheSummaryStillAddsUp() throws Exception {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        try (Receiver receiver = Receiver.start()) {
            Webhooks.Subscribed subscribed = webhooks.subscribe(dispensary, receiver.url(), false);
            for (int i = 0; i < 3; i++) {
                TENANTS.createOrder(key, OrderFixtures.pickup(dispensary));
            }
            await(
                    PATIENCE,
                    "3 delivered",
                    () -> webhooks.summary(subscribed.id()).get("delivered") == 3);
            // One of them as if it had died long ago, and everything aged past the 7-day retention.
            execute(
                    "UPDATE webhook_delivery SET state = 'dead', delivered_at = NULL WHERE subscription_id = ?"
                            + " AND event_seq = (SELECT min(event_seq) FROM webhook_delivery WHERE subscription_id = ?)",
                    subscribed.id(),
                    subscribed.id());
            execute(
                    "UPDATE webhook_delivery SET updated_at = now() - interval '8 days' WHERE subscription_id = ?",
                    subscribed.id());
            execute(
                    "UPDATE order_event SET occurred_at = now() - interval '8 days' WHERE dispensary_id = ?",
                    dispensary);
            Map<String, Long> before = webhooks.summary(subscribed.id());

            monitor.prune();

            assertThat(webhooks.summary(subscribed.id())).isEqualTo(before);
            assertThat(before)
                    .containsEntry("created", 3L)
                    .containsEntry("delivered", 2L)
                    .containsEntry("dead", 1L);
            assertThat(Database.count(
                            "SELECT count(*) FROM webhook_delivery WHERE subscription_id = ?", subscribed.id()))
                    .as("only the dead delivery is left")
                    .isOne();
            assertThat(Database.count("SELECT count(*) FROM order_event WHERE dispensary_id = ?", dispensary))
                    .as("only the dead delivery's event is left")
                    .isOne();
            assertThat(webhooks.deliveries(subscribed.id(), "dead").getList("deliveries"))
                    .hasSize(1);
        }
    }

    private static void execute(String sql, String... parameters) throws Exception {
        try (Connection connection = Database.outsidePool();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
