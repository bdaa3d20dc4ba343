package io.dispensary.orders.common;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Says when a repeated event is due for its one log line: at most once per interval, across threads, and at once
 * for the first event after a quiet interval, so the log shows when trouble began. What happens in between is
 * counted by the caller and summed into the next line: an outage or an overload is one event for the SREs, not a
 * line per request.
 */
public final class LogEvery {

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong last;

    public LogEvery(Duration interval) {
        this(interval, System::nanoTime);
    }

    /** With a clock of the caller's, in nanoseconds like {@link System#nanoTime()}. */
    public LogEvery(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.last = new AtomicLong(nanoTime.getAsLong() - intervalNanos);
    }

    /**
     * The nanoseconds since the last line if this caller should log now (one caller per interval wins), else -1.
     * The first line after a long quiet reports at most one interval.
     */
    public long due() {
        long now = nanoTime.getAsLong();
        long previous = last.get();
        if (now - previous >= intervalNanos && last.compareAndSet(previous, now)) {
            return Math.min(now - previous, intervalNanos);
        }
        return -1;
    }
}
