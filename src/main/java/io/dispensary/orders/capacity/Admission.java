package io.dispensary.orders.capacity;

import io.dispensary.orders.common.OrdersConfig;
import io.dispensary.orders.common.problem.ProblemMappers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Admission control: at most {@code orders.admission.max-in-flight} API requests are inside the service at once;
 * the next one is answered at once, on the event loop, with a 503 problem and {@code Retry-After}, before it
 * takes a worker thread or a connection.
 *
 * <p>Without it the worker pool's queue has no bound: past the service's capacity every request waits behind
 * all the others, latency grows without limit for everyone, and clients give up on requests the service still
 * works through. The 1 s bound on waiting for a connection catches only the requests that reached a worker.
 * The limit keeps the queue short (limit minus worker threads), so what is admitted stays fast and the excess
 * fails fast and loudly: counted in {@code orders_shed_total{reason="overloaded"}}, visible in
 * {@code orders_requests_in_flight}, logged at most once per {@link #LOG_INTERVAL_NANOS} with the count.
 *
 * <p>Only the API is guarded; {@code /q/*} (the OpenAPI document, Swagger UI) never touches the database, and
 * health and metrics are on the management port.
 */
@ApplicationScoped
public class Admission {

    private static final Logger LOG = Logger.getLogger(Admission.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter shed;
    private final AtomicLong shedSinceLog = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

    public Admission(OrdersConfig config, MeterRegistry registry) {
        this.limit = config.admission().maxInFlight();
        if (limit < 1) {
            // Zero would shed every request; a negative limit, the same. Refuse to start rather than run shut.
            throw new IllegalStateException("Refusing to start: orders.admission.max-in-flight "
                    + "(ORDERS_ADMISSION_MAX_IN_FLIGHT) must be at least 1; it is " + limit + ".");
        }
        this.shed = Counter.builder("orders.shed")
                .description("Requests answered 503 because the service was at its in-flight limit")
                .tag("reason", "overloaded")
                .register(registry);
        Gauge.builder("orders.requests.in.flight", inFlight, AtomicInteger::get)
                .description("API requests inside the service now; at orders.admission.max-in-flight the next is shed")
                .register(registry);
        Gauge.builder("orders.requests.in.flight.limit", () -> limit)
                .description("orders.admission.max-in-flight")
                .register(registry);
    }

    public int limit() {
        return limit;
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
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            shed.increment();
            logShed();
            ProblemMappers.overloaded(context, "The service is at its limit of " + limit + " requests in flight;"
                    + " nothing was stored. Retry after the delay.");
            return;
        }
        // Runs once when the response ends or the connection closes first, so a slot is never leaked.
        context.addEndHandler(ended -> inFlight.decrementAndGet());
        context.next();
    }

    private void logShed() {
        shedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
            LOG.warnf("Shed %d requests in the last %d s: %d in flight is the limit (orders.admission.max-in-flight)",
                    shedSinceLog.getAndSet(0), TimeUnit.NANOSECONDS.toSeconds(now - last), limit);
        }
    }
}
