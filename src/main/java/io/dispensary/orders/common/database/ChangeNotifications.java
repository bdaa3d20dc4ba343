package io.dispensary.orders.common.database;

import io.dispensary.orders.common.OrdersConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * PostgreSQL's LISTEN/NOTIFY on a connection of its own (not the pool's, so it never takes a slot a request
 * needs), for what an instance may keep in memory only as long as it hears of every change: a subscriber is told
 * of each notification on its channel and of every gap. While the connection is down notifications are lost, so
 * a channel counts as {@link #listening} only once a probe sent after its LISTEN has come back on that connection, and each loss and
 * each new LISTEN tells the subscribers to forget what they kept.
 *
 * <p>A dead or deaf connection must not pass for a quiet one. Every second the listener notifies a channel only it
 * listens to and expects to hear itself within {@value #PROBE_DEADLINE_MILLIS} ms (under the 2 s socket timeout):
 * a lost, frozen or failed-over server, or a URL that reaches PostgreSQL through a transaction pooler (where LISTEN
 * is not kept), is noticed within about 3 s, and the subscribers stop trusting their copies then.
 */
@ApplicationScoped
public class ChangeNotifications {

    /**
     * What a subscriber does when its channel is notified ({@code payload} as sent, empty if none) or when a gap
     * may have hidden a notification ({@code payload} null): forget what it kept.
     */
    @FunctionalInterface
    public interface Subscriber {
        void forget(String payload);
    }

    private static final Logger LOG = Logger.getLogger(ChangeNotifications.class);
    /** Channel names go into LISTEN as identifiers: lowercase words only, never anything a caller sent. */
    private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private static final long PROBE_EVERY_MILLIS = 1000;
    static final long PROBE_DEADLINE_MILLIS = 3000;
    private static final int RETRY_MILLIS = 1000;
    private static final int NETWORK_TIMEOUT_MILLIS = 2000;

    private final String url;
    private final Properties properties;
    private final Map<String, List<Subscriber>> subscribers = new ConcurrentHashMap<>();
    /**
     * The channels LISTENed on the connection now live and confirmed by a probe sent after their LISTEN and heard;
     * empty while it is down. A LISTEN that a transaction pooler accepted and forgot is never confirmed.
     */
    private final Set<String> listened = ConcurrentHashMap.newKeySet();
    /** This instance's own channel, for hearing itself. */
    private final String probe = "orders_probe_" + UUID.randomUUID().toString().replace("-", "");

    private volatile boolean running;
    private Thread thread;

    public ChangeNotifications(
            OrdersConfig config,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String username,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.url = config.database().notificationsJdbcUrl().orElse(url);
        this.properties = DirectConnection.properties(username, password, "order-service notifications");
        properties.setProperty("tcpKeepAlive", "true");
    }

    /** Tells {@code subscriber} of every notification on {@code channel}, and of every gap in them. */
    public void subscribe(String channel, Subscriber subscriber) {
        if (!CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("not a channel name: " + channel);
        }
        subscribers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(subscriber);
    }

    /** Whether a change on {@code channel} committed from now on will reach the subscribers. */
    public boolean listening(String channel) {
        return listened.contains(channel);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::listen, "db-notifications");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void listen() {
        Connection connection = null;
        boolean reported = false;
        long probeSent = 0; // System.nanoTime() of the probe not yet heard, or 0
        long nextProbe = 0;
        Set<String> listenedHere = new HashSet<>(); // every channel LISTENed on this connection
        Set<String> unconfirmed = new HashSet<>(); // LISTENed on this connection, no probe sent since
        Set<String> confirmedByProbe = Set.of(); // what the probe in flight confirms when it is heard
        while (running) {
            try {
                if (connection == null) {
                    connection = DriverManager.getConnection(url, properties);
                    connection.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS);
                    execute(connection, "LISTEN " + probe);
                    listenedHere.clear();
                    unconfirmed.clear();
                    confirmedByProbe = Set.of();
                    probeSent = 0;
                    nextProbe = System.nanoTime();
                    if (reported) {
                        LOG.info("Change notifications are heard again: cached API keys and rules are used again");
                        reported = false;
                    }
                }
                // Channels subscribed since the last pass (subscribers may be made after start-up) are LISTENed here.
                for (String channel : subscribers.keySet()) {
                    if (!listenedHere.contains(channel)) {
                        execute(connection, "LISTEN " + channel);
                        listenedHere.add(channel);
                        unconfirmed.add(channel);
                        tell(channel, null); // what was kept before this LISTEN may have missed a change
                        if (probeSent == 0) {
                            nextProbe = System.nanoTime(); // confirm it now, not in a second
                        }
                    }
                }
                long now = System.nanoTime();
                if (probeSent == 0 && now - nextProbe >= 0) {
                    execute(connection, "SELECT pg_notify('" + probe + "', '')");
                    confirmedByProbe = Set.copyOf(unconfirmed);
                    unconfirmed.clear();
                    probeSent = now;
                    nextProbe = now + TimeUnit.MILLISECONDS.toNanos(PROBE_EVERY_MILLIS);
                }
                // Until the probe is due, or, while it is unheard, until its deadline.
                long until = probeSent != 0
                        ? probeSent + TimeUnit.MILLISECONDS.toNanos(PROBE_DEADLINE_MILLIS) + 1
                        : nextProbe;
                int wait = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()));
                PGNotification[] received =
                        connection.unwrap(PGConnection.class).getNotifications(wait);
                for (PGNotification notification : received == null ? new PGNotification[0] : received) {
                    if (notification.getName().equals(probe)) {
                        probeSent = 0;
                        // Heard after their LISTEN on this connection: every later commit's notification will be too.
                        listened.addAll(confirmedByProbe);
                        confirmedByProbe = Set.of();
                        if (!unconfirmed.isEmpty()) {
                            nextProbe = System.nanoTime();
                        }
                    } else {
                        tell(notification.getName(), notification.getParameter());
                    }
                }
                if (probeSent != 0
                        && System.nanoTime() - probeSent > TimeUnit.MILLISECONDS.toNanos(PROBE_DEADLINE_MILLIS)) {
                    throw new SQLException("this connection did not hear its own notification within "
                            + PROBE_DEADLINE_MILLIS + " ms (is the URL a pooler in transaction mode?)");
                }
            } catch (SQLException | RuntimeException e) {
                lose(connection);
                connection = null;
                if (!running) {
                    return;
                }
                if (!reported) {
                    LOG.warnf(
                            "Change notifications are not heard (%s): API keys and dispensary rules are read from"
                                    + " the database on every request until they are",
                            DatabaseFault.message(e));
                    reported = true;
                }
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
        lose(connection);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Marks every channel unheard, then tells every subscriber: nothing kept from here on is trusted. */
    private void lose(Connection connection) {
        listened.clear();
        subscribers.keySet().forEach(channel -> tell(channel, null));
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Already broken: that is why it is being closed.
            }
        }
    }

    private void tell(String channel, String payload) {
        for (Subscriber subscriber : subscribers.getOrDefault(channel, List.of())) {
            subscriber.forget(payload);
        }
    }
}
