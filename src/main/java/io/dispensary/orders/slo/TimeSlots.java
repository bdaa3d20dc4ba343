package io.dispensary.orders.slo;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;

/**
 * Good and total request counts per time slot (a minute, an hour) in a ring buffer, written without a lock.
 *
 * <p>Requests are counted on the HTTP event loops: a lock there stalls every request on that loop whenever its
 * holder is descheduled, which on an oversubscribed machine happened for tens of milliseconds at a time. So
 * each slot packs its total (high 32 bits) and good count (low 32 bits) into one long, added to atomically, and
 * a reader always sees a matching pair. Only starting a slot's new lap takes a lock ({@link SlotRing}). 32 bits
 * per count holds over 4 billion requests per slot.
 */
final class TimeSlots {

    private static final long ONE_TOTAL = 1L << 32;
    private static final long GOOD_MASK = ONE_TOTAL - 1;

    /** total << 32 | good, per slot. */
    private final AtomicLongArray counts;

    private final SlotRing ring;
    /** Made once: a lambda that captures this, written in add, would be a new object per request. */
    private final IntConsumer clear;

    TimeSlots(int slots) {
        counts = new AtomicLongArray(slots);
        ring = new SlotRing(slots);
        clear = slot -> counts.set(slot, 0);
    }

    int size() {
        return ring.size();
    }

    /** Counts one request in the slot of time index {@code index} (minutes or hours since the epoch). */
    void add(long index, boolean good) {
        int slot = ring.claim(index, clear);
        if (slot >= 0) {
            counts.addAndGet(slot, good ? ONE_TOTAL + 1 : ONE_TOTAL);
        }
    }

    /** Good and total requests over the time indexes {@code first} to {@code last}, both included. */
    long[] sum(long first, long last) {
        long good = 0;
        long total = 0;
        for (long index = Math.max(first, last - ring.size() + 1); index <= last; index++) {
            if (!ring.holds(index)) {
                continue;
            }
            long packed = counts.get(ring.slotOf(index));
            // Moved on to a newer lap meanwhile: that index is gone.
            if (!ring.holds(index)) {
                continue;
            }
            good += packed & GOOD_MASK;
            total += packed >>> 32;
        }
        return new long[] {good, total};
    }
}
