package io.dispensary.orders.numberspace;

import io.dispensary.orders.common.OrdersConfig;
import io.dispensary.orders.common.database.Jdbc;
import io.dispensary.orders.ordernumber.Ff1SelfTest;
import io.dispensary.orders.ordernumber.Namespace;
import io.dispensary.orders.ordernumber.OrderNumberCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Issues order numbers: the next value of a namespace's sequence, through the FF1 codec.
 *
 * <p>One {@code nextval} per order and no lookups, whatever the fill. When a sequence is spent (NO CYCLE,
 * SQLSTATE 2200H) the namespace is marked exhausted in memory, and every later request fails at once without
 * touching the database: the width is fixed for the life of the process, so only a restart can change that.
 */
@ApplicationScoped
public class NumberSpace {

    private static final Logger LOG = Logger.getLogger(NumberSpace.class);
    private static final String SEQUENCE_EXHAUSTED = "2200H";

    private final DataSource dataSource;
    /** Set again at start-up, with the stored check-digit seeds of the widths in use. */
    private volatile OrderNumberCodec codec;

    private final byte[] key;
    private final long logIntervalNanos;
    private final Map<Namespace, NamespaceState> states = new EnumMap<>(Namespace.class);
    private final AtomicLong rehearsals = new AtomicLong();

    public NumberSpace(DataSource dataSource, OrdersConfig config, MeterRegistry registry) {
        this.dataSource = dataSource;
        OrdersConfig.OrderNumber settings = config.orderNumber();
        this.key = OrderNumberCodec.parseKey(requireKey(settings));
        this.codec = new OrderNumberCodec(key, settings.digits(), settings.checkDigit());
        this.logIntervalNanos = settings.exhaustionLogInterval().toNanos();
        for (Namespace namespace : Namespace.values()) {
            Counter exhausted = Counter.builder("orders.number.space.exhausted")
                    .description("Create-order requests refused because the order-number space is spent")
                    .tag("namespace", namespace.label())
                    .register(registry);
            states.put(namespace, new NamespaceState(exhausted));
        }
    }

    private static String requireKey(OrdersConfig.OrderNumber settings) {
        String configured = settings.key().map(String::trim).orElse("");
        if (LaunchMode.current() == LaunchMode.NORMAL
                && (configured.isEmpty() || configured.equalsIgnoreCase(OrdersConfig.DEV_ORDER_NUMBER_KEY))) {
            throw new NumberSpaceSetupException("Refusing to start: set ORDERS_ORDER_NUMBER_KEY "
                    + "(orders.order-number.key) to a secret hex AES key of 128, 192 or 256 bits, e.g. the output of "
                    + "`openssl rand -hex 16`. The documented dev key is not allowed in production, and the key "
                    + "must never change for a width in use.");
        }
        if (configured.isEmpty()) {
            throw new NumberSpaceSetupException(
                    "set orders.order-number.key (ORDERS_ORDER_NUMBER_KEY) to a hex AES key of 128, 192 or 256 bits");
        }
        return configured;
    }

    void onStart(@Observes StartupEvent event) {
        Ff1SelfTest.run();
        codec = NumberSpaceSetup.apply(dataSource, codec, key);
        LOG.infof(
                "Order numbers: %d digits%s, %,d per namespace; FF1 self-test passed",
                codec.digits(), codec.checkDigit() ? " plus a Damm check digit" : "", codec.capacity());
    }

    /** The codec, for formatting and for checking numbers people type. */
    public OrderNumberCodec codec() {
        return codec;
    }

    /**
     * A 256-bit key for another purpose, such as signing listing cursors: HMAC-SHA256 of the label under the
     * order-number key. Every instance derives the same one without a setting of its own, and it tells nothing
     * of the order-number key (nor equals its stored fingerprint, which uses another label).
     */
    public byte[] derivedKey(String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(("derived-key/" + label).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    /**
     * The next order number of a namespace. Call it inside the transaction that stores the order: the
     * connection is the transaction's, and the sequence value is never handed out twice even if it rolls back.
     *
     * @throws NumberSpaceExhaustedException at once when the space is spent, without a database round trip
     *         once that is known
     */
    public IssuedNumber allocate(Namespace namespace) {
        NamespaceState state = states.get(namespace);
        if (state.exhausted) {
            throw exhausted(namespace, state);
        }
        long value = Jdbc.call(
                dataSource,
                "draw an order number",
                connection -> {
                    try (PreparedStatement statement =
                                    connection.prepareStatement("SELECT nextval('" + namespace.sequenceName() + "')");
                            ResultSet row = statement.executeQuery()) {
                        row.next();
                        return row.getLong(1);
                    }
                },
                e -> {
                    if (SEQUENCE_EXHAUSTED.equals(e.getSQLState())) {
                        state.exhausted = true;
                        return exhausted(namespace, state);
                    }
                    return null;
                });
        if (value > codec.maxSequenceValue()) {
            // Another instance widened the sequence while this one still runs at the narrower width.
            state.exhausted = true;
            throw exhausted(namespace, state);
        }
        return new IssuedNumber(codec.encode(namespace, value), value);
    }

    /**
     * A number for a rehearsal of the warm-up, whose transaction always rolls back: the codec's work on one of
     * the last 1,024 values of the namespace, which the sequence reaches only when the space is all but spent,
     * and no {@code nextval}, which no rollback gives back. Concurrent rehearsals get different values, so none
     * waits on another's uncommitted row.
     */
    public IssuedNumber rehearsalNumber(Namespace namespace) {
        long value = codec.maxSequenceValue() - (rehearsals.getAndIncrement() & 1023);
        return new IssuedNumber(codec.encode(namespace, value), value);
    }

    private NumberSpaceExhaustedException exhausted(Namespace namespace, NamespaceState state) {
        state.refused.increment();
        long now = System.nanoTime();
        long last = state.lastLog.get();
        if ((last == 0 || now - last >= logIntervalNanos) && state.lastLog.compareAndSet(last, now == 0 ? 1 : now)) {
            LOG.errorf(
                    "The %s order-number space of %d digits is exhausted: create-order answers 503. "
                            + "Raise orders.order-number.digits (ORDERS_ORDER_NUMBER_DIGITS) and restart; "
                            + "%,.0f requests refused so far.",
                    namespace.label(), codec.digits(), state.refused.count());
        }
        return new NumberSpaceExhaustedException(namespace, codec.digits());
    }

    private static final class NamespaceState {
        private final Counter refused;
        private final AtomicLong lastLog = new AtomicLong();
        private volatile boolean exhausted;

        NamespaceState(Counter refused) {
            this.refused = refused;
        }
    }
}
