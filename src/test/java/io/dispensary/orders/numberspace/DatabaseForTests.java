package io.dispensary.orders.numberspace;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The test database (the one bin/test prepares), with a fresh schema per scenario so that restarts with other
 * widths and keys never see, or disturb, another test's number space.
 */
public final class DatabaseForTests {

    public static final String URL = envOr("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:5432/orders_test");
    public static final String USER = envOr("QUARKUS_DATASOURCE_USERNAME", "orders");
    public static final String PASSWORD = envOr("QUARKUS_DATASOURCE_PASSWORD", "orders");

    private DatabaseForTests() {
    }

    /** Creates an empty schema and returns a JDBC URL whose connections work in it. */
    public static String freshSchema(String prefix) throws SQLException {
        String schema = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = connect(URL); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, USER, PASSWORD);
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
