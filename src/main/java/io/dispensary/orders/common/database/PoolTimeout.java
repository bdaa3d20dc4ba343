package io.dispensary.orders.common.database;

import io.dispensary.orders.common.Causes;
import java.sql.SQLException;
import java.util.Locale;

/** Recognises "no connection came in time" in a failure, for admission control's pool gate (admission.PoolShedding). */
public final class PoolTimeout {

    private PoolTimeout() {}

    /**
     * The database is at capacity, however deep JPA, JTA or our own code wrapped it: Agroal found no connection
     * within quarkus.datasource.jdbc.acquisition-timeout, or PgBouncer (k8s/) found no server connection within
     * its query_wait_timeout and dropped the transaction before it ran.
     */
    public static boolean in(Throwable e) {
        // Agroal says "Sorry, acquisition timeout!" (its pool) or "Acquisition timeout while waiting ...";
        // PgBouncer sends "ERROR: query_wait_timeout" as a protocol error (08P01) and closes the connection.
        return Causes.any(e, cause -> {
            if (cause instanceof SQLException sql && sql.getMessage() != null) {
                String message = sql.getMessage().toLowerCase(Locale.ROOT);
                return message.contains("acquisition timeout")
                        || "08P01".equals(sql.getSQLState()) && message.endsWith("query_wait_timeout");
            }
            return false;
        });
    }
}
