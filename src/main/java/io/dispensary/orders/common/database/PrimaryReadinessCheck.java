package io.dispensary.orders.common.database;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Readiness means "this pod can reach the primary", asked over a connection of its own, outside the pool.
 *
 * <p>The datasource check that Quarkus adds by itself borrows a pool connection within the acquisition timeout, so a
 * saturated pool (one locked table, a slow minute) read as DOWN: with the manifests' probe that takes every replica
 * out of the Service at once and turns a slow table into an outage. A pool at capacity already sheds with 503s; the
 * question for routing is only whether PostgreSQL's primary answers this pod. So: one connection, reused, its own
 * short timeouts, {@code SELECT pg_is_in_recovery()}. PostgreSQL stopped is DOWN at once (refused), frozen within
 * the network timeout, a standby behind the URL (a demoted primary) is DOWN too. Liveness never touches the database.
 */
@Readiness
@ApplicationScoped
public class PrimaryReadinessCheck implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(PrimaryReadinessCheck.class);
    static final String NAME = "primary";
    /** Shorter than the probe's 3 s timeout (k8s/base/deployment.yaml), so the probe gets our answer. */
    private static final int NETWORK_TIMEOUT_MILLIS = 2000;

    private final String url;
    private final Properties properties;
    /** One check at a time; the others answer with its last result instead of queueing behind it. */
    private final ReentrantLock checking = new ReentrantLock();

    private volatile HealthCheckResponse last;
    private Connection connection;
    private Boolean lastUp;

    public PrimaryReadinessCheck(
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String username,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.url = url;
        this.properties = DirectConnection.properties(username, password, "order-service readiness");
    }

    /**
     * Asks PostgreSQL, unless a check is already waiting for it: then this probe gets the last answer at once. A
     * frozen server holds a check for up to 2 s, probes share the worker threads with the API, and probes that
     * queued behind one another took workers from the API for the whole freeze (the fault suite saw requests wait 9 s).
     */
    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse previous = last;
        if (previous != null && !checking.tryLock()) {
            return previous;
        }
        if (previous == null) {
            checking.lock();
        }
        try {
            last = check();
            return last;
        } finally {
            checking.unlock();
        }
    }

    private HealthCheckResponse check() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = DriverManager.getConnection(url, properties);
                connection.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS);
            }
            boolean standby;
            try (Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT pg_is_in_recovery()")) {
                row.next();
                standby = row.getBoolean(1);
            }
            if (standby) {
                return down("standby", "the database behind the JDBC URL is a standby, not the primary");
            }
            changed(true, null);
            return HealthCheckResponse.named(NAME).up().build();
        } catch (SQLException e) {
            close();
            String cause =
                    DatabaseFault.classify(e).map(DatabaseFault.Cause::tag).orElse("error");
            return down(cause, DatabaseFault.message(e));
        }
    }

    private HealthCheckResponse down(String cause, String message) {
        changed(false, cause + ": " + message);
        return HealthCheckResponse.named(NAME)
                .down()
                .withData("cause", cause)
                .withData("message", message)
                .build();
    }

    /** One line when readiness changes, not one per probe. */
    private void changed(boolean up, String why) {
        if (lastUp != null && lastUp == up) {
            return;
        }
        if (up) {
            if (lastUp != null) {
                LOG.info("Readiness UP: the primary answers again");
            }
        } else {
            LOG.warnf("Readiness DOWN: this instance cannot reach the primary (%s)", why);
        }
        lastUp = up;
    }

    private void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }
}
