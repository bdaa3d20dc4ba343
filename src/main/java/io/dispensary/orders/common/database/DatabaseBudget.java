package io.dispensary.orders.common.database;

import io.agroal.api.AgroalPoolInterceptor;
import io.dispensary.orders.common.OrdersConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;

/**
 * The time budget of a request in the database ({@code orders.database.budget}), applied to every pooled connection
 * when it is made, so that no statement costs a round trip more:
 * <ul>
 * <li>PostgreSQL cuts a statement ({@code statement_timeout}) at 80% of the budget and a lock wait
 * ({@code lock_timeout}) at 70%. It answers with an error, the transaction rolls back, the connection stays good;
 * <li>the driver gives up on a server that says nothing for the whole budget (a frozen or partitioned server, whose
 * kernel still acknowledges the packets): pgJDBC's network timeout, in milliseconds, which its URL parameter
 * {@code socketTimeout} (whole seconds) could not express. It is longer than the statement timeout so that a
 * statement PostgreSQL can still cancel is cancelled there, cleanly, first.
 * </ul>
 * Why not the transaction manager's timeout: Narayana only marks a timed-out transaction for rollback; the statement
 * that hangs keeps its thread until it returns. Why not per-statement query timeouts: pgJDBC runs them with a timer
 * thread and a cancel request on a second connection, which a frozen server never answers either.
 *
 * <p>Start-up work (Flyway, the number-space set-up) runs on the same pool. A migration that must run longer than the
 * budget says so itself with {@code SET LOCAL statement_timeout}.
 */
@ApplicationScoped
public class DatabaseBudget implements AgroalPoolInterceptor {

    private final Duration budget;
    private final long statementMillis;
    private final long lockMillis;

    public DatabaseBudget(OrdersConfig config) {
        this.budget = config.database().budget();
        if (budget.compareTo(Duration.ofMillis(100)) < 0 || budget.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalStateException("Refusing to start: orders.database.budget (ORDERS_DATABASE_BUDGET) must be"
                    + " between 100ms and 5m; it is " + budget + ".");
        }
        this.statementMillis = statementMillis(budget);
        this.lockMillis = lockMillis(budget);
    }

    /** PostgreSQL's statement_timeout for a budget: 80% of it, so PostgreSQL cancels before the driver gives up. */
    public static long statementMillis(Duration budget) {
        return budget.toMillis() * 4 / 5;
    }

    /** PostgreSQL's lock_timeout for a budget: 70%, so that a lock wait is reported as one (55P03). */
    public static long lockMillis(Duration budget) {
        return budget.toMillis() * 7 / 10;
    }

    /** The whole budget: how long the driver waits for a silent server. */
    public Duration budget() {
        return budget;
    }

    /** How long PostgreSQL lets one statement run. */
    public Duration statementTimeout() {
        return Duration.ofMillis(statementMillis);
    }

    /** How long PostgreSQL lets one statement wait for a lock. */
    public Duration lockTimeout() {
        return Duration.ofMillis(lockMillis);
    }

    @Override
    public void onConnectionCreate(Connection connection) {
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET statement_timeout = " + statementMillis + "; SET lock_timeout = " + lockMillis);
            }
            // On the driver's own connection: Agroal's wrapper would reset it when the connection is returned.
            Connection driver = (Connection) connection.unwrap(PGConnection.class);
            driver.setNetworkTimeout(Runnable::run, Math.toIntExact(budget.toMillis()));
        } catch (SQLException e) {
            // A connection that cannot keep the budget must not join the pool; Agroal reports it to the waiter.
            throw new IllegalStateException("could not apply the database time budget to a new connection", e);
        }
    }
}
