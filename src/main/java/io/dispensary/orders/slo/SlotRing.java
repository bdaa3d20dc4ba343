package io.dispensary.orders.slo;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;

/**
 * Which time index (a minute, an hour, a day since the epoch) each slot of a ring buffer holds, and the one place
 * a slot moves on to a newer index. Moving on takes a lock, once per slot and lap, and re-checks under it, so
 * threads that reach a new slot together reset it once; everything else reads the stamps without a lock.
 */
final class SlotRing {

    private static final long UNUSED = Long.MIN_VALUE;

    private final AtomicLongArray stamps;
    private final Object rollover = new Object();

    SlotRing(int slots) {
        stamps = new AtomicLongArray(slots);
        for (int i = 0; i < slots; i++) {
            stamps.set(i, UNUSED);
        }
    }

    int size() {
        return stamps.length();
    }

    int slotOf(long index) {
        return (int) Math.floorMod(index, (long) stamps.length());
    }

    /**
     * The slot that holds {@code index}, first cleared by {@code reset} if it held an older lap; -1 if it already
     * holds a newer one, so {@code index} is older than the ring keeps.
     */
    int claim(long index, IntConsumer reset) {
        int slot = slotOf(index);
        long stamp = stamps.get(slot);
        if (stamp == index) {
            return slot;
        }
        if (stamp < index) {
            synchronized (rollover) {
                if (stamps.get(slot) < index) {
                    reset.accept(slot);
                    // Published after the reset: whoever sees the new stamp works on a cleared slot.
                    stamps.set(slot, index);
                }
            }
        }
        return stamps.get(slot) == index ? slot : -1;
    }

    /** Whether the slot of {@code index} holds it now; ask again after reading it, to know it did not move on. */
    boolean holds(long index) {
        return stamps.get(slotOf(index)) == index;
    }
}
