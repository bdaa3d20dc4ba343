package io.dispensary.orders.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts a {@link PrivatePostgres} before the @QuarkusTest instance and points the service at it. */
public class PrivatePostgresResource implements QuarkusTestResourceLifecycleManager {

    private static PrivatePostgres server;

    /** The server of the test class running now. */
    public static PrivatePostgres server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = PrivatePostgres.start();
        return Map.of(
                "quarkus.datasource.jdbc.url",
                server.jdbcUrl(),
                "quarkus.datasource.username",
                PrivatePostgres.USER,
                "quarkus.datasource.password",
                PrivatePostgres.PASSWORD);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
