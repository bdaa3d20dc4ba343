package io.dispensary.orders.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dispensary.orders.common.OrdersConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The limit is checked by Admission itself: OrdersConfig carries no Bean Validation (see its comment). */
class AdmissionTest {

    @Test
    void refusesToStartWithALimitThatWouldShedEveryRequest() {
        for (String limit : new String[] {"0", "-5"}) {
            assertThatThrownBy(() -> new Admission(config(limit), new SimpleMeterRegistry(), Optional.of(32)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("orders.admission.max-in-flight")
                    .hasMessageContaining("ORDERS_ADMISSION_MAX_IN_FLIGHT")
                    .hasMessageContaining("it is " + limit);
        }
    }

    @Test
    void refusesToStartWithAQueueWaitThatWouldShedEveryQueuedRequest() {
        for (String wait : new String[] {"0s", "-1s"}) {
            assertThatThrownBy(() -> new Admission(config("64", wait), new SimpleMeterRegistry(), Optional.of(32)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("orders.admission.max-queue-wait")
                    .hasMessageContaining("ORDERS_ADMISSION_MAX_QUEUE_WAIT");
        }
        assertThat(new Admission(config("64", "1ms"), new SimpleMeterRegistry(), Optional.of(32)).maxQueueWait())
                .isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void takesAnyLimitOfOneOrMore() {
        assertThat(new Admission(config("1"), new SimpleMeterRegistry(), Optional.of(32)).limit())
                .isEqualTo(1);
        assertThat(new Admission(config("64"), new SimpleMeterRegistry(), Optional.of(32)).limit())
                .isEqualTo(64);
    }

    private static OrdersConfig config(String maxInFlight) {
        return config(maxInFlight, "150ms");
    }

    private static OrdersConfig config(String maxInFlight, String maxQueueWait) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(OrdersConfig.class)
                // Quarkus's own converter, so the defaults read as they do in the service ("24h", "7d").
                .withConverter(Duration.class, 100, new DurationConverter())
                .withDefaultValue("orders.admission.max-in-flight", maxInFlight)
                .withDefaultValue("orders.admission.max-queue-wait", maxQueueWait)
                .build();
        return config.getConfigMapping(OrdersConfig.class);
    }
}
