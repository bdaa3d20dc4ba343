package io.dispensary.orders.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The business settings of the service, all under {@code orders.*}; the README lists each with its env var.
 *
 * <p>No Bean Validation annotations here: the beans that use a setting check it when they start (for example
 * {@code admission.Admission}, {@code numberspace.NumberSpace}). A single constraint on a config mapping makes
 * Quarkus bootstrap a second Hibernate Validator for the configuration at every start, which took 0.6 to 0.8 s
 * of a 5 s start on the 2-core load-test machine (loadtest/RESULTS.md).
 */
@ConfigMapping(prefix = "orders")
public interface OrdersConfig {

    /** A documented key for dev and test only; the prod profile refuses it. */
    String DEV_ORDER_NUMBER_KEY = "000102030405060708090a0b0c0d0e0f";

    /** A documented admin token for dev and test only; the prod profile refuses it. */
    String DEV_ADMIN_TOKEN = "dev-admin-token-not-for-production-use";

    OrderNumber orderNumber();

    /** Bearer token of the admin API (dispensaries, API keys); at least 32 characters in production. */
    java.util.Optional<String> adminToken();

    Idempotency idempotency();

    /** Critical endpoints and their SLOs, by name (create-order, get-order). */
    java.util.Map<String, Slo> slo();

    /**
     * The fewest requests (events, for webhook-delivery) the long window of a burn-rate rule must hold before it
     * may page or ticket, for every SLO alike. Below it a window's ratio is noise: one cold request among two is
     * a 50x burn. The SRE Workbook's advice for low-traffic services is to alert only on enough evidence; at
     * 100, one bad request is 1% of the window, so the fast page needs 14 bad create-orders (7 get-orders) in the
     * hour, never one slow start. The Prometheus rules use the same number (PrometheusRuleTest checks).
     */
    @WithDefault("100")
    long sloMinRequests();

    /** How much concurrent work the service takes before it sheds. */
    Admission admission();

    /** Number-space alert levels, for the order-numbers health check and the capacity gauges. */
    Capacity capacity();

    /** How long a request may spend in the database (common.database.DatabaseBudget). */
    Database database();

    /** Order events and their webhook deliveries (the webhook package). */
    Webhooks webhooks();

    /** The warm-up before readiness (the warmup package). */
    Warmup warmup();

    /**
     * What an instance does between start-up and readiness, so its first storefront requests are not its first
     * ones: rehearsed creates, each read back, sent to itself through HTTP and rolled back (see
     * {@link Rehearsal}). Cold, a pod's first 500 creates had a p99 of ~540 ms against ~11 ms once warm.
     */
    interface Warmup {

        /** Whether an instance rehearses before it turns ready. Off, readiness waits only for the database. */
        @WithDefault("true")
        boolean enabled();

        /** How many creates are rehearsed (each read back with a GET). */
        @WithDefault("600")
        int rehearsals();

        /** How many rehearsals run at once: more than one, so the pool and the worker threads warm up too. */
        @WithDefault("4")
        int concurrency();

        /**
         * The longest the warm-up waits, after its rehearsals, for the JIT compilers to finish what they queued
         * (0 to not wait).
         */
        @WithDefault("2s")
        java.time.Duration settle();

        /**
         * The longest the warm-up holds readiness back; past it the instance turns ready warm or not, and says so.
         * A warm-up never keeps a pod out of service.
         */
        @WithDefault("20s")
        java.time.Duration timeout();
    }

    /** How webhooks are delivered, retried, bounded and kept. */
    interface Webhooks {

        /**
         * The waits between attempts: the first attempt is at once, the next after the first wait, and so on; once
         * every wait is spent, a failing delivery is dead. Each wait is stretched by up to a quarter at random, so
         * receivers coming back are not hit by every instance at once. The default is Standard Webhooks' own
         * schedule: 8 attempts over about 27.6 hours.
         */
        @WithDefault("5s,5m,30m,2h,5h,10h,10h")
        java.util.List<java.time.Duration> retrySchedule();

        /**
         * Whether a subscription may target loopback, link-local or private addresses. Off in prod (a webhook URL
         * is a request the service makes inside its own network); dev and test turn it on for local receivers.
         */
        @WithDefault("false")
        boolean allowPrivateTargets();

        /**
         * Deliveries in flight on one instance, to all receivers together; each holds a thread, and a connection
         * only to record its result. PoolFit warns when these threads and the dispatcher's could take more than half
         * the pool.
         */
        @WithDefault("6")
        int concurrency();

        /** Deliveries in flight to one subscription on one instance: a slow receiver takes no more than this. */
        @WithDefault("2")
        int concurrencyPerSubscription();

        /** How often an idle instance looks for due deliveries; a busy one looks again as soon as a slot frees. */
        @WithDefault("250ms")
        java.time.Duration pollInterval();

        /**
         * How long a claimed delivery is this instance's: if it dies mid-delivery, another instance sends it again
         * after this. Longer than the whole request timeout, so a live instance's delivery is never taken.
         */
        @WithDefault("30s")
        java.time.Duration lease();

        /** The bound on making a connection to a receiver. */
        @WithDefault("2s")
        java.time.Duration connectTimeout();

        /** The bound on a whole delivery request, answer included. */
        @WithDefault("5s")
        java.time.Duration requestTimeout();

        /** How long the previous secret still signs after a rotation. */
        @WithDefault("24h")
        java.time.Duration secretOverlap();

        /** Delivered and cancelled deliveries (and events with none left) are removed after this; dead ones stay. */
        @WithDefault("7d")
        java.time.Duration retention();

        /** How often the backlog gauges are read and old deliveries pruned. */
        @WithDefault("15s")
        java.time.Duration monitorInterval();

        /** The delivery SLO: this share of events to healthy receivers delivered within the threshold. */
        @WithDefault("0.99")
        double sloObjective();

        @WithDefault("60s")
        java.time.Duration sloThreshold();
    }

    /** The time budget of a request in the database. */
    interface Database {

        /**
         * The longest a request may work in the database once it has a connection: PostgreSQL cuts a statement or a
         * lock wait at 80% of it, the driver gives up on a silent server at all of it, and the request is answered
         * 503 with Retry-After. With the 150 ms queue wait and the 1 s connection wait, a request is answered within
         * about 2.2 s whatever PostgreSQL does.
         */
        @WithDefault("1s")
        java.time.Duration budget();

        /**
         * Where the listener of change notifications connects, when not at the datasource's URL: LISTEN needs a
         * session of its own, which PgBouncer's transaction pooling does not keep, so behind such a pooler this
         * names the primary directly (k8s/base/config.env). Its JDBC properties are the datasource's user and
         * password.
         */
        Optional<String> notificationsJdbcUrl();
    }

    /** One critical endpoint's SLO: {@code objective} of requests faster than {@code threshold} over {@code period}. */
    interface Slo {

        /** The HTTP method of the route. */
        String method();

        /** The route template, e.g. {@code /orders/{orderNumber}}. */
        String route();

        /** The share of requests that must be good, e.g. 0.99. */
        double objective();

        /** A request slower than this, or answered with a 5xx, is bad. */
        java.time.Duration threshold();

        /** The SLO period; burn-rate factors scale with it. */
        @WithDefault("28d")
        java.time.Duration period();
    }

    /** When a number space is worth a ticket or a page. */
    interface Capacity {

        @WithDefault("0.80")
        double warningUsedRatio();

        @WithDefault("0.95")
        double criticalUsedRatio();

        @WithDefault("30d")
        java.time.Duration warningEta();

        @WithDefault("7d")
        java.time.Duration criticalEta();

        /** How often the sequences' positions are read for the gauges and the ETA. */
        @WithDefault("15s")
        java.time.Duration refreshInterval();

        /** The window over which the recent issue rate, and so the ETA, is measured. */
        @WithDefault("24h")
        java.time.Duration rateWindow();
    }

    /** Admission control (admission.Admission). */
    interface Admission {

        /**
         * API requests inside the service at once; the next is answered 503 at once. Worker threads
         * (quarkus.thread-pool.max-threads) take as many; the rest wait in the workers' queue, which this bounds.
         * A bound on memory and queue length; the queue wait below is what normally sheds.
         */
        @WithDefault("256")
        int maxInFlight();

        /**
         * The longest a request that found every worker thread busy may wait for one; one that waited longer is
         * answered 503 without doing its work. Half the create-order threshold (300 ms): what is admitted keeps room to finish in it.
         */
        @WithDefault("150ms")
        java.time.Duration maxQueueWait();
    }

    /** How long idempotency keys are kept. */
    interface Idempotency {

        /** Keys replay their response for this long; the IETF draft and Stripe use 24 hours. */
        @WithDefault("24h")
        java.time.Duration retention();
    }

    /** How order numbers look. */
    interface OrderNumber {

        /** Payload digits, 6 to 18; the check digit comes on top. Raising it later is safe, lowering is refused. */
        @WithDefault("8")
        int digits();

        /** Hex AES key for FF1 (128, 192 or 256 bits). Never change it for a width already in use. */
        Optional<String> key();

        /** Whether a Damm check digit follows the payload. Fixed once numbers are issued. */
        @WithDefault("true")
        boolean checkDigit();

        /** How long, at most, a log line about exhaustion repeats. */
        @WithDefault("60s")
        java.time.Duration exhaustionLogInterval();
    }
}
