package io.dispensary.orders.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: after the n-th failed attempt, the n-th wait of the schedule, stretched by
 * up to a quarter at random (jitter only lengthens, so the schedule's total is a floor: Standard Webhooks' default
 * keeps trying for at least 27.6 hours). After the last wait's attempt fails, there is none: the delivery is dead.
 */
final class RetrySchedule {

    static final double MAX_JITTER = 0.25;

    private final List<Duration> waits;
    private final DoubleSupplier random;

    RetrySchedule(List<Duration> waits, DoubleSupplier random) {
        if (waits.isEmpty() || waits.stream().anyMatch(wait -> wait.isNegative() || wait.isZero())) {
            throw new IllegalArgumentException(
                    "orders.webhooks.retry-schedule must list at least one positive wait, e.g. 5s,5m,30m");
        }
        this.waits = List.copyOf(waits);
        this.random = random;
    }

    /** Attempts a delivery gets in all: the first, and one after each wait. */
    int attempts() {
        return waits.size() + 1;
    }

    /** The wait before the next attempt, after {@code failedAttempts} attempts failed; empty when it is dead. */
    Optional<Duration> next(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("no attempt has failed yet");
        }
        if (failedAttempts > waits.size()) {
            return Optional.empty();
        }
        Duration wait = waits.get(failedAttempts - 1);
        long jitter = (long) (wait.toMillis() * MAX_JITTER * random.getAsDouble());
        return Optional.of(wait.plusMillis(jitter));
    }

    List<Duration> waits() {
        return waits;
    }
}
