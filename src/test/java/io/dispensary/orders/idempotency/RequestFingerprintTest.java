package io.dispensary.orders.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.dispensary.orders.order.CreateOrderRequest;
import io.dispensary.orders.order.OrderFixtures;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What counts as "the same request again" for an idempotency key, without HTTP: IdempotencyTest covers replays. */
class RequestFingerprintTest {

    private static final ObjectMapper JSON =
            JsonMapper.builder().findAndAddModules().build();
    /** Fixed, so a failure repeats. */
    private static final long SEED = 9457L;

    /** OrderFixtures.pickup's order, its members in another order, on one line, its decimals spelt otherwise. */
    private static final String PICKUP_RESPELT = "{\"items\":[{\"unitPriceCents\":3500,\"quantity\":2,"
            + "\"netWeightGrams\":35e-1,\"category\":\"FLOWER\",\"name\":\"OG Kush 3.5g\",\"sku\":\"FL-OG-35\"},"
            + "{\"thcMg\":100.000,\"unitPriceCents\":1899,\"quantity\":1,\"category\":\"EDIBLE\","
            + "\"name\":\"Gummies 10mg\",\"sku\":\"ED-GUM-10\"}],\"fulfillment\":\"PICKUP\","
            + "\"customer\":{\"type\":\"RECREATIONAL\",\"birthDate\":\"1990-12-10\",\"email\":\"ada@example.com\","
            + "\"phone\":\"+14155550123\",\"name\":\"Ada Lovelace\"},\"dispensaryId\":\"disp-1\"}";

    @Test
    void whitespaceMemberOrderAndDecimalSpellingDoNotChangeTheFingerprint() throws Exception {
        assertThat(RequestFingerprint.of(request(PICKUP_RESPELT)))
                .isEqualTo(RequestFingerprint.of(request(OrderFixtures.pickup("disp-1"))));
    }

    @Test
    void sampledSpellingsOfOneDecimalHaveOneFingerprint() {
        Random random = new Random(SEED);
        for (int i = 0; i < 500; i++) {
            BigDecimal value = BigDecimal.valueOf(random.nextInt(1_000_000), random.nextInt(4));
            String fingerprint = RequestFingerprint.of(Map.of("netWeightGrams", value));
            assertThat(RequestFingerprint.of(Map.of("netWeightGrams", value.setScale(value.scale() + 2))))
                    .as("%s with trailing zeros", value)
                    .isEqualTo(fingerprint);
            assertThat(RequestFingerprint.of(Map.of(
                            "netWeightGrams",
                            new BigDecimal(value.toEngineeringString().replace("E", "e")))))
                    .as("%s in exponent form", value)
                    .isEqualTo(fingerprint);
        }
    }

    @Test
    void anotherValueIsAnotherRequest() throws Exception {
        Object first = request(OrderFixtures.pickup("disp-1"));
        Object other = request(OrderFixtures.pickup("disp-2"));
        Object delivery = request(OrderFixtures.delivery("disp-1"));
        assertThat(RequestFingerprint.of(first))
                .isNotEqualTo(RequestFingerprint.of(other))
                .isNotEqualTo(RequestFingerprint.of(delivery));
        assertThat(RequestFingerprint.of(Map.of("quantity", new BigDecimal("3.5"))))
                .isNotEqualTo(RequestFingerprint.of(Map.of("quantity", new BigDecimal("3.05"))));
    }

    @Test
    void theFingerprintIsAHexSha256() {
        assertThat(RequestFingerprint.of(Map.of())).matches("[0-9a-f]{64}");
    }

    /** Parsed as the API parses it: the fingerprint is of the request, not of its text. */
    private static CreateOrderRequest request(String body) throws Exception {
        return JSON.readValue(body, CreateOrderRequest.class);
    }
}
