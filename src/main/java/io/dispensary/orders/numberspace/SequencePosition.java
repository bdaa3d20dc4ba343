package io.dispensary.orders.numberspace;

import io.dispensary.orders.ordernumber.Namespace;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where a namespace's sequence stands. Use is measured from here, not from counting orders: sequence values
 * are never rolled back, so failed inserts and cached values burn numbers that no row shows.
 */
public record SequencePosition(Namespace namespace, long lastValue, boolean called) {

    /** How many values the sequence has handed out (or skipped), i.e. how many numbers are gone. */
    public long issued() {
        return called ? lastValue + 1 : lastValue;
    }

    public static SequencePosition read(Connection connection, Namespace namespace) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row =
                        statement.executeQuery("SELECT last_value, is_called FROM " + namespace.sequenceName())) {
            row.next();
            return new SequencePosition(namespace, row.getLong(1), row.getBoolean(2));
        }
    }
}
