package io.dispensary.orders.common.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The one place where a checked {@link SQLException} becomes an unchecked one: stores write their statements as
 * lambdas over a connection and say what they were doing. The SQLException stays the cause, so
 * {@link DatabaseFault} still finds its SQLSTATE and a fault is still answered 503.
 */
public final class Jdbc {

    /** Statements run on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T on(Connection connection) throws SQLException;
    }

    private Jdbc() {}

    /** Runs {@code work} on a pooled connection (the transaction's, inside one); {@code what} completes "could not ...". */
    public static <T> T call(DataSource dataSource, String what, Work<T> work) {
        return call(dataSource, what, work, e -> null);
    }

    /**
     * The same, with a translation of the failures a caller knows how to name (a spent sequence, say); when
     * {@code translate} answers null the failure is wrapped as usual.
     */
    public static <T> T call(
            DataSource dataSource, String what, Work<T> work, Function<SQLException, RuntimeException> translate) {
        try (Connection connection = dataSource.getConnection()) {
            return work.on(connection);
        } catch (SQLException e) {
            RuntimeException named = translate.apply(e);
            throw named != null ? named : new IllegalStateException("could not " + what, e);
        }
    }
}
