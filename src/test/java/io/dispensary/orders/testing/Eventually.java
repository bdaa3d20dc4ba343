package io.dispensary.orders.testing;

import java.util.function.BooleanSupplier;

/** Polling for what another thread makes true, for tests that cannot be told when it happens. */
public final class Eventually {

    private Eventually() {}

    /** Polls every 25 ms until the condition holds or {@code millis} have passed; answers whether it held. */
    public static boolean holds(BooleanSupplier condition, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() >= deadline) {
                return condition.getAsBoolean();
            }
            pause(25);
        }
        return true;
    }

    /** Thread.sleep that keeps the interrupt and stops the test. */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
