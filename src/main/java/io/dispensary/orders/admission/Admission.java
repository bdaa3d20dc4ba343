package io.dispensary.orders.admission;

import io.dispensary.orders.common.LogEvery;
import io.dispensary.orders.common.OrdersConfig;
import io.dispensary.orders.common.problem.ProblemMappers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.Priorities;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Admission control, in two steps, each answering a 503 problem with {@code Retry-After} before the request
 * touches the database:
 * <ol>
 * <li>at most {@code orders.admission.max-in-flight} API requests are inside the service at once; the next one
 * is answered at once, on the event loop, before it takes a worker thread ({@code reason="overloaded"});
 * <li>a request that finds every worker thread busy waits on the event loop, oldest first, and is answered as
 * soon as it has waited {@code orders.admission.max-queue-wait} without getting one ({@code reason="queued"}). It
 * is answered then, not when a worker comes free: with the database frozen each worker is held for the whole
 * acquisition timeout, and a request shed only once it got a worker was answered after 3 to 4 s (loadtest/run-faults).
 * A request that waited inside the worker pool all the same (workers busy with other work) is shed when it starts.
 * </ol>
 *
 * <p>Without them the worker pool's queue has no bound: past the service's capacity every request waits behind
 * all the others, latency grows without limit for everyone, and clients give up on requests the service still
 * works through. The 1 s bound on waiting for a connection catches only the requests that reached a worker.
 *
 * <p>Why a wait and not only a count: a count is the right bound only at one throughput. At 64 in flight a
 * 2-core instance doing ~800 creates/s shed requests after ~80 ms of queueing, when p99 was still far under the
 * 300 ms create-order threshold (loadtest/RESULTS.md): it refused orders it could have served in time, on every
 * GC pause or noisy neighbour. The queue wait is what the SLO cares about and holds at any CPU size: what is
 * admitted starts within the budget, what would have waited longer fails fast. The in-flight limit stays, larger,
 * as the bound on memory and on the queue's length. Sheds are counted in {@code orders_shed_total}, visible in
 * {@code orders_requests_in_flight}, and logged at most once per {@link #LOG_INTERVAL_NANOS} with the count.
 *
 * <p>Only the API is guarded; {@code /q/*} (the OpenAPI document, Swagger UI) never touches the database, and
 * health and metrics are on the management port.
 */
@ApplicationScoped
public class Admission {

    private static final Logger LOG = Logger.getLogger(Admission.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * When a request that found every worker busy was admitted, in {@link System#nanoTime()}: put on the event
     * loop, read on a worker. A request that found a worker free has no queue to wait in: if it is slow to start
     * all the same (a GC pause, a starved core), shedding it would free nothing for anyone.
     */
    private static final String QUEUED_AT = Admission.class.getName() + ".queuedAt";

    private final int limit;
    private final int workers;
    private final Duration maxQueueWait;
    private final long maxQueueWaitNanos;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Requests holding a worker thread, at most {@link #workers}. */
    private final AtomicInteger busyWorkers = new AtomicInteger();
    /** Requests that found every worker busy, oldest first. */
    private final ConcurrentLinkedDeque<Waiting> queue = new ConcurrentLinkedDeque<>();

    /** The HELP of orders_shed_total, the same for every reason: Prometheus keeps one per family. */
    static final String SHED_HELP = "API requests answered 503 /problems/overloaded without doing their work, by"
            + " reason: overloaded (at orders.admission.max-in-flight), queued (waited longer than"
            + " orders.admission.max-queue-wait for a worker thread), pool (no database connection within"
            + " quarkus.datasource.jdbc.acquisition-timeout)";

    private final Counter shed;
    private final Counter shedQueued;
    private final AtomicLong queuedSinceLog = new AtomicLong();
    private final AtomicLong overLimitSinceLog = new AtomicLong();
    private final LogEvery logEvery = new LogEvery(Duration.ofNanos(LOG_INTERVAL_NANOS));

    public Admission(
            OrdersConfig config,
            MeterRegistry registry,
            @ConfigProperty(name = "quarkus.thread-pool.max-threads") Optional<Integer> maxThreads) {
        this.limit = config.admission().maxInFlight();
        // Quarkus's default worker pool: max(8 x cores, 200).
        this.workers = maxThreads.orElse(Math.max(8 * Runtime.getRuntime().availableProcessors(), 200));
        if (limit < 1) {
            // Zero would shed every request; a negative limit, the same. Refuse to start rather than run shut.
            throw new IllegalStateException("Refusing to start: orders.admission.max-in-flight "
                    + "(ORDERS_ADMISSION_MAX_IN_FLIGHT) must be at least 1; it is " + limit + ".");
        }
        this.maxQueueWait = config.admission().maxQueueWait();
        if (maxQueueWait.isNegative() || maxQueueWait.isZero()) {
            throw new IllegalStateException("Refusing to start: orders.admission.max-queue-wait "
                    + "(ORDERS_ADMISSION_MAX_QUEUE_WAIT) must be more than zero; it is " + maxQueueWait + ".");
        }
        this.maxQueueWaitNanos = maxQueueWait.toNanos();
        this.shed = Counter.builder("orders.shed")
                .description(SHED_HELP)
                .tag("reason", "overloaded")
                .register(registry);
        this.shedQueued = Counter.builder("orders.shed")
                .description(SHED_HELP)
                .tag("reason", "queued")
                .register(registry);
        Gauge.builder("orders.requests.in.flight", inFlight, AtomicInteger::get)
                .description("API requests inside the service now, admitted or waiting for a worker thread; at"
                        + " orders.admission.max-in-flight the next is shed")
                .register(registry);
        Gauge.builder("orders.requests.in.flight.limit", () -> limit)
                .description(
                        "The in-flight limit (orders.admission.max-in-flight): with this many API requests inside the"
                                + " service, the next is answered 503 at once")
                .register(registry);
    }

    public int limit() {
        return limit;
    }

    public Duration maxQueueWait() {
        return maxQueueWait;
    }

    /** The worker threads that serve blocking requests (quarkus.thread-pool.max-threads). */
    public int workers() {
        return workers;
    }

    void install(@Observes Router router) {
        // After the body-size guard and the endpoint recorder: a shed create-order still counts against its SLO.
        router.route().order(Integer.MIN_VALUE + 2).handler(this::admit);
    }

    void admit(RoutingContext context) {
        if (context.normalizedPath().startsWith("/q/")) {
            context.next();
            return;
        }
        int admitted = inFlight.incrementAndGet();
        if (admitted > limit) {
            inFlight.decrementAndGet();
            shed.increment();
            overLimitSinceLog.incrementAndGet();
            logShed();
            ProblemMappers.answer(
                    context,
                    PoolShedding.overloaded("The service is at its limit of " + limit
                            + " requests in flight; nothing was stored. Retry after the delay."));
            return;
        }
        if (takeWorker()) {
            // Runs once when the response ends or the connection closes first, so no slot or worker is leaked.
            context.addEndHandler(ended -> {
                inFlight.decrementAndGet();
                giveBackWorker();
            });
            context.next();
            return;
        }
        Waiting parked = new Waiting(context);
        context.addEndHandler(ended -> {
            inFlight.decrementAndGet();
            if (parked.leave()) {
                // The client left while it waited: it never took a worker.
                queue.remove(parked);
                context.vertx().cancelTimer(parked.timer);
            } else if (parked.dispatched()) {
                giveBackWorker();
            }
        });
        // Found every worker busy: wait on the event loop, where the limit can be kept while the workers are stuck
        // (a frozen database holds each for the whole acquisition timeout, and then nothing frees one in time).
        context.put(QUEUED_AT, parked.since);
        parked.timer = context.vertx().setTimer(Math.max(1, maxQueueWait.toMillis()), id -> {
            if (parked.leave()) {
                queue.remove(parked);
                shedWaiting(context, System.nanoTime() - parked.since);
            }
        });
        queue.add(parked);
        // A worker may have come free between the check and the queueing.
        dispatchWaiting();
    }

    private void giveBackWorker() {
        busyWorkers.decrementAndGet();
        dispatchWaiting();
    }

    /** Hands free workers to the longest-waiting requests, each resumed on its own event loop. */
    private void dispatchWaiting() {
        while (!queue.isEmpty() && takeWorker()) {
            Waiting next = queue.poll();
            if (next != null && next.dispatch()) {
                next.context.vertx().cancelTimer(next.timer);
                next.eventLoop.runOnContext(ignored -> next.context.next());
            } else {
                // Shed or gone meanwhile: give the worker back and look again.
                busyWorkers.decrementAndGet();
            }
        }
    }

    private boolean takeWorker() {
        int busy;
        do {
            busy = busyWorkers.get();
            if (busy >= workers) {
                return false;
            }
        } while (!busyWorkers.compareAndSet(busy, busy + 1));
        return true;
    }

    private void shedWaiting(RoutingContext context, long waitedNanos) {
        shedQueued.increment();
        queuedSinceLog.incrementAndGet();
        logShed();
        ProblemMappers.answer(context, PoolShedding.overloaded(queuedTooLong(waitedNanos)));
    }

    private String queuedTooLong(long waitedNanos) {
        return "The request waited " + TimeUnit.NANOSECONDS.toMillis(waitedNanos) + " ms for the service, more than"
                + " its limit of " + maxQueueWait.toMillis() + " ms; nothing was stored. Retry after the delay.";
    }

    /**
     * A request waiting for a worker. Exactly one of dispatch (it takes a worker), the timer (it is shed) and the
     * client's leaving moves it out of {@link #WAITING}, so a worker permit is taken and given back exactly once.
     */
    private static final class Waiting {
        static final int WAITING = 0;
        static final int DISPATCHED = 1;
        static final int LEFT = 2;

        final RoutingContext context;
        final Context eventLoop = Vertx.currentContext();
        final long since = System.nanoTime();
        final AtomicInteger state = new AtomicInteger(WAITING);
        volatile long timer;

        Waiting(RoutingContext context) {
            this.context = context;
        }

        boolean dispatch() {
            return state.compareAndSet(WAITING, DISPATCHED);
        }

        /** Shed, or the client gone, before it got a worker. */
        boolean leave() {
            return state.compareAndSet(WAITING, LEFT);
        }

        boolean dispatched() {
            return state.get() == DISPATCHED;
        }
    }

    /**
     * The first thing a request does on its worker thread, before authentication touches the database: if it
     * arrived to find every worker busy and waited too long for one, it is answered 503 and does nothing.
     */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 100)
    void shedIfQueuedTooLong(RoutingContext context) {
        Long queuedAt = context.get(QUEUED_AT);
        if (queuedAt == null) {
            return;
        }
        long waited = System.nanoTime() - queuedAt;
        if (waited > maxQueueWaitNanos) {
            shedQueued.increment();
            queuedSinceLog.incrementAndGet();
            logShed();
            throw PoolShedding.overloaded(queuedTooLong(waited));
        }
    }

    private void logShed() {
        long since = logEvery.due();
        if (since >= 0) {
            long queued = queuedSinceLog.getAndSet(0);
            long overLimit = overLimitSinceLog.getAndSet(0);
            LOG.warnf(
                    "Shed %d requests in the last %d s: %d waited more than %d ms for a worker thread"
                            + " (orders.admission.max-queue-wait), %d found %d in flight (orders.admission.max-in-flight)",
                    queued + overLimit,
                    TimeUnit.NANOSECONDS.toSeconds(since),
                    queued,
                    maxQueueWait.toMillis(),
                    overLimit,
                    limit);
        }
    }
}
