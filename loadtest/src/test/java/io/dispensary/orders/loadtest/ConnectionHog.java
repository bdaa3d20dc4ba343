package io.dispensary.orders.loadtest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The max-connections fault: outside clients take every connection slot PostgreSQL offers to ordinary roles,
 * while the service's backends are terminated (pg_terminate_backend, allowed for backends of one's own role),
 * for {@code --seconds}; then all are closed. Every 100 ms it takes any slot freed again and terminates any
 * backend of the database that is not its own, so the service cannot win a slot back during the hold.
 * Prints what it held; bounded in time.
 */
public final class ConnectionHog {

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String url = args.get("jdbc");
        Properties props = new Properties();
        props.setProperty("user", args.get("user", "orders"));
        props.setProperty("password", args.get("password", "orders"));
        props.setProperty("connectTimeout", "2");
        props.setProperty("ApplicationName", "fault-connection-hog");
        long end = System.nanoTime() + args.getInt("seconds", 10) * 1_000_000_000L;
        List<Connection> held = new ArrayList<>();
        List<Integer> ours = new ArrayList<>();
        int terminated = 0;
        int maxHeld = 0;
        String refusal = "";
        try {
            while (System.nanoTime() < end) {
                // Take every free slot.
                for (int i = 0; i < 200 && System.nanoTime() < end; i++) {
                    try {
                        Connection c = DriverManager.getConnection(url, props);
                        held.add(c);
                        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
                            r.next();
                            ours.add(r.getInt(1));
                        }
                    } catch (SQLException e) {
                        refusal = e.getMessage();
                        break;
                    }
                }
                maxHeld = Math.max(maxHeld, held.size());
                if (!held.isEmpty()) {
                    try (PreparedStatement s = held.get(0).prepareStatement(
                            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                    + "WHERE datname = current_database() AND usename = current_user "
                                    + "AND application_name <> 'fault-connection-hog' AND pid <> pg_backend_pid()")) {
                        try (ResultSet r = s.executeQuery()) {
                            r.next();
                            terminated += r.getInt(1);
                        }
                    } catch (SQLException e) {
                        // our own connection may have been refused a query; go on
                    }
                }
                Thread.sleep(100);
            }
        } finally {
            for (Connection c : held) {
                try {
                    c.close();
                } catch (SQLException e) {
                    // closing anyway
                }
            }
        }
        System.out.printf("held=%d terminated=%d last_refusal=%s%n", maxHeld, terminated, refusal);
    }
}
