package io.dispensary.orders.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dispensary.orders.common.OrdersConfig;
import io.dispensary.orders.common.Rehearsal;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** The warm-up's readiness check, alone: DOWN until the warm-up has run, UP at once when it is off. */
class WarmupCheckTest {

    @Test
    void anInstanceWhoseWarmUpHasNotRunIsNotReady() {
        HealthCheckResponse response = new WarmupCheck(new Warmup(config(true, 600, 4), new Rehearsal())).call();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData().orElseThrow()).containsEntry("state", "waiting");
    }

    @Test
    void anInstanceWithTheWarmUpOffIsReadyAtOnce() {
        HealthCheckResponse response = new WarmupCheck(new Warmup(config(false, 600, 4), new Rehearsal())).call();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(response.getData().orElseThrow()).containsEntry("state", "off");
    }

    @Test
    void settingsThatCannotWarmAnythingUpAreRefusedAtStart() {
        assertThatThrownBy(() -> new Warmup(config(true, 600, 0), new Rehearsal()))
                .hasMessageContaining("orders.warmup.concurrency");
        assertThatThrownBy(() -> new Warmup(config(true, -1, 4), new Rehearsal()))
                .hasMessageContaining("orders.warmup.rehearsals");
    }

    /** The settings with only orders.warmup.* answered; nothing else is read. */
    private static OrdersConfig config(boolean enabled, int rehearsals, int concurrency) {
        OrdersConfig.Warmup warmup = new OrdersConfig.Warmup() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public int rehearsals() {
                return rehearsals;
            }

            @Override
            public int concurrency() {
                return concurrency;
            }

            @Override
            public Duration settle() {
                return Duration.ofSeconds(2);
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(20);
            }
        };
        return (OrdersConfig) Proxy.newProxyInstance(
                OrdersConfig.class.getClassLoader(), new Class<?>[] {OrdersConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("warmup")) {
                        return warmup;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
