package io.dispensary.orders.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The tests' one database helper: the database of the @QuarkusTest instance, reached beside the service and never
 * through its pool, and fresh schemas of the test database (the one bin/test prepares) for the services the
 * integration tests start themselves, so that restarts with other widths and keys never see another test's data.
 */
public final class Database {

    public static final String URL =
            envOr("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:5432/orders_test");
    public static final String USER = envOr("QUARKUS_DATASOURCE_USERNAME", "orders");
    public static final String PASSWORD = envOr("QUARKUS_DATASOURCE_PASSWORD", "orders");

    private Database() {}

    /** A connection of its own, outside the service's pool: it can hold a lock the service must wait on. */
    public static Connection outsidePool() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    /** The number a query with one text parameter returns, e.g. {@code SELECT count(*) ... WHERE x = ?}. */
    public static long count(String sql, String parameter) throws SQLException {
        try (Connection connection = outsidePool();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** Creates an empty schema in the test database and returns a JDBC URL whose connections work in it. */
    public static String freshSchema(String prefix) throws SQLException {
        String schema =
                prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = connect(URL);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** A connection to the test database at this URL (one {@link #freshSchema} returned, say). */
    public static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, USER, PASSWORD);
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
