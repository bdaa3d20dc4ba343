package io.dispensary.orders.testing;

import org.eclipse.microprofile.config.ConfigProvider;

/** The management interface of the @QuarkusTest instance, which listens on a random port like the API. */
public final class Management {

    private Management() {
    }

    /** The URL of a management path, e.g. {@code /q/metrics}. */
    public static String url(String path) {
        // Quarkus writes the port it actually bound back into the configuration.
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        return "http://localhost:" + port + path;
    }
}
