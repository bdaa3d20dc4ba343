package io.dispensary.orders.common.database;

import java.util.Properties;

/**
 * The JDBC properties of a connection the service opens beside its pool (the readiness check's, the change
 * listener's): short enough timeouts that a silent server is noticed in seconds.
 */
final class DirectConnection {

    private DirectConnection() {}

    static Properties properties(String username, String password, String applicationName) {
        Properties properties = new Properties();
        properties.setProperty("user", username);
        properties.setProperty("password", password);
        // Whole seconds, pgJDBC's unit; the URL's own values, if it has any, win.
        properties.setProperty("connectTimeout", "1");
        properties.setProperty("loginTimeout", "2");
        properties.setProperty("socketTimeout", "2");
        properties.setProperty("ApplicationName", applicationName);
        return properties;
    }
}
