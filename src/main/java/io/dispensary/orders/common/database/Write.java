package io.dispensary.orders.common.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.IntConsumer;

/**
 * One statement that its table's store writes and binds, and that a service sends together with others through
 * {@link Writes}: each table is still reached from its own store, and a create's writes still cost one round trip.
 *
 * @param what completes "could not ...", as in {@link Jdbc}
 * @param sql one statement whose result is a row count, not rows, and whose placeholders are all {@code ?}
 * @param parameters binds this statement's placeholders, numbered after those of the statements before it
 * @param counted told the statement's row count, in the transaction, once all of the writes have run
 */
public record Write(String what, String sql, Parameters parameters, IntConsumer counted) {

    /** Binds a statement's placeholders {@code before + 1} onwards; answers the last one it bound. */
    @FunctionalInterface
    public interface Parameters {
        int bind(Connection connection, PreparedStatement statement, int before) throws SQLException;
    }

    /** A write whose row count nobody needs. */
    public Write(String what, String sql, Parameters parameters) {
        this(what, sql, parameters, count -> {});
    }
}
