package io.dispensary.orders.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** The database of the @QuarkusTest instance, reached from the test beside the service, never through its pool. */
public final class Database {

    private Database() {
    }

    /** A connection of its own, outside the service's pool: it can hold a lock the service must wait on. */
    public static Connection outsidePool() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    /** The number a query with one text parameter returns, e.g. {@code SELECT count(*) ... WHERE x = ?}. */
    public static long count(String sql, String parameter) throws SQLException {
        try (Connection connection = outsidePool(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
