package io.dispensary.orders.common.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** What PostgreSQL accepts: max_connections, those reserved for superusers, and the client backends now. */
public record ConnectionLimits(int maxConnections, int reserved, int inUse) {

    /** Asks PostgreSQL over a pooled connection. */
    public static ConnectionLimits read(DataSource dataSource) {
        return Jdbc.call(dataSource, "read PostgreSQL's max_connections", connection -> read(connection));
    }

    private static ConnectionLimits read(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_setting('max_connections')::int,"
                        + " current_setting('superuser_reserved_connections')::int,"
                        + " (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')")) {
            row.next();
            return new ConnectionLimits(row.getInt(1), row.getInt(2), row.getInt(3));
        }
    }
}
