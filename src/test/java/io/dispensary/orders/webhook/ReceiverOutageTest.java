package io.dispensary.orders.webhook;

import static io.dispensary.orders.webhook.Receiver.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.order.OrderFixtures;
import io.dispensary.orders.tenant.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A receiver that is down for 30 s and then comes back loses nothing. */
@QuarkusTest
@TestProfile(ReceiverOutageTest.LongerRetries.class)
class ReceiverOutageTest {

    /** Waits of 1, 2, 4, 8, 16 and 16 s: attempts reach past a 30 s outage, as the real schedule reaches past a day. */
    public static class LongerRetries implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("orders.webhooks.retry-schedule", "1s,2s,4s,8s,16s,16s");
        }
    }

    private static final Tenants TENANTS = Tenants.local();
    private static final int ORDERS = 20;

    private final Webhooks webhooks = new Webhooks(TENANTS);

    @org.junit.jupiter.api.AfterEach
    void deleteSubscriptions() {
        webhooks.deleteAll();
    }

    @Test
    void aReceiverDownForThirtySecondsGetsEveryEventOnceItIsBackAndTheSummaryShowsTheRetries() throws Exception {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        try (Receiver receiver = Receiver.start()) {
            Webhooks.Subscribed subscribed = webhooks.subscribe(dispensary, receiver.url(), false);
            receiver.down();
            Instant down = Instant.now();
            Set<String> numbers = new HashSet<>();
            for (int i = 0; i < ORDERS; i++) {
                numbers.add(TENANTS.createOrder(key, OrderFixtures.pickup(dispensary)));
            }
            await(
                    Duration.ofSeconds(10),
                    "every delivery retrying",
                    () -> webhooks.summary(subscribed.id()).get("retrying") == ORDERS);
            Thread.sleep(Math.max(
                    0,
                    Duration.ofSeconds(30)
                            .minus(Duration.between(down, Instant.now()))
                            .toMillis()));
            assertThat(webhooks.summary(subscribed.id()))
                    .as("30 s into the outage")
                    .containsEntry("created", (long) ORDERS)
                    .containsEntry("retrying", (long) ORDERS)
                    .containsEntry("dead", 0L);
            receiver.up();

            await(
                    Duration.ofSeconds(40),
                    "every delivery delivered",
                    () -> webhooks.summary(subscribed.id()).get("delivered") == ORDERS);
            assertThat(webhooks.summary(subscribed.id()))
                    .isEqualTo(Map.of(
                            "created",
                            (long) ORDERS,
                            "delivered",
                            (long) ORDERS,
                            "pending",
                            0L,
                            "retrying",
                            0L,
                            "dead",
                            0L,
                            "cancelled",
                            0L));
            List<Integer> attempts =
                    webhooks.deliveries(subscribed.id(), "delivered").getList("deliveries.attempts");
            assertThat(attempts)
                    .hasSize(ORDERS)
                    .allMatch(n -> n >= 6, "six attempts or more: five fail during the outage");
            assertThat(receiver.received().stream()
                            .map(each -> each.body().replaceAll(".*\"orderNumber\":\"([^\"]+)\".*", "$1"))
                            .collect(java.util.stream.Collectors.toSet()))
                    .isEqualTo(numbers);
        }
    }
}
