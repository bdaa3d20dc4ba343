package io.dispensary.orders.slo;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Good and total request counts per time slot (a minute, an hour) in a ring buffer, written without a lock.
 *
 * <p>Requests are counted on the HTTP event loops: a lock there stalls every request on that loop whenever its
 * holder is descheduled, which on an oversubscribed machine happened for tens of milliseconds at a time. So
 * each slot packs its total (high 32 bits) and good count (low 32 bits) into one long, added to atomically, and
 * a reader always sees a matching pair. Only reusing a slot for a new lap of the ring takes a lock, once per
 * slot and lap. 32 bits per count holds over 4 billion requests per slot.
 */
final class TimeSlots {

    private static final long ONE_TOTAL = 1L << 32;
    private static final long GOOD_MASK = ONE_TOTAL - 1;

    /** total << 32 | good, per slot. */
    private final AtomicLongArray counts;
    /** The time index each slot currently counts, -1 before its first use. */
    private final AtomicLongArray stamps;
    private final Object rollover = new Object();

    TimeSlots(int slots) {
        counts = new AtomicLongArray(slots);
        stamps = new AtomicLongArray(slots);
        for (int i = 0; i < slots; i++) {
            stamps.set(i, -1);
        }
    }

    int size() {
        return counts.length();
    }

    /** Counts one request in the slot of time index {@code index} (minutes or hours since the epoch). */
    void add(long index, boolean good) {
        int slot = (int) Math.floorMod(index, (long) counts.length());
        long stamp = stamps.get(slot);
        if (stamp != index) {
            if (stamp > index) {
                // A lap the ring has already forgotten: too old to count anywhere.
                return;
            }
            synchronized (rollover) {
                if (stamps.get(slot) < index) {
                    counts.set(slot, 0);
                    // Published after the reset: whoever sees the new stamp counts on a cleared slot.
                    stamps.set(slot, index);
                } else if (stamps.get(slot) > index) {
                    return;
                }
            }
        }
        counts.addAndGet(slot, good ? ONE_TOTAL + 1 : ONE_TOTAL);
    }

    /** Good and total requests over the time indexes {@code first} to {@code last}, both included. */
    long[] sum(long first, long last) {
        long good = 0;
        long total = 0;
        for (long index = Math.max(first, last - counts.length() + 1); index <= last; index++) {
            int slot = (int) Math.floorMod(index, (long) counts.length());
            if (stamps.get(slot) != index) {
                continue;
            }
            long packed = counts.get(slot);
            // Reused for a newer lap meanwhile: that index is gone.
            if (stamps.get(slot) != index) {
                continue;
            }
            good += packed & GOOD_MASK;
            total += packed >>> 32;
        }
        return new long[] {good, total};
    }
}
