package io.dispensary.orders.numberspace;

import io.dispensary.orders.ordernumber.DammCheckDigit;
import io.dispensary.orders.ordernumber.KeyFingerprint;
import io.dispensary.orders.ordernumber.Namespace;
import io.dispensary.orders.ordernumber.OrderNumberCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Brings the database's number space in line with the configured width at start-up, or refuses to start.
 *
 * <p>Widening is safe by construction: the sequences only move forward, and a number of another width has
 * another length. What is unsafe is refused: a width too narrow for what the sequences already issued, another
 * key for a width that issued numbers (the new permutation could repeat an old number), and toggling the check
 * digit (an 8-digit number with a check digit has the length of a 9-digit one without).
 */
final class NumberSpaceSetup {

    private static final Logger LOG = Logger.getLogger(NumberSpaceSetup.class);
    /** Serialises start-ups of several instances against one database. */
    private static final long ADVISORY_LOCK = 0x4f52444552534551L;

    private NumberSpaceSetup() {}

    /**
     * Checks and registers the configured width and raises the sequences' MAXVALUE; returns the codec to issue
     * and check numbers with: the configured one, with the stored check-digit seed of every width in use.
     */
    static OrderNumberCodec apply(DataSource dataSource, OrderNumberCodec codec, byte[] key) {
        String fingerprint = KeyFingerprint.of(key);
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                // Start-up work, not a request: it may wait for another instance's set-up, or for the sequences
                // behind a busy minute, longer than a request's budget (orders.database.budget).
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL statement_timeout = '30s'; SET LOCAL lock_timeout = '30s'");
                }
                lock(connection);
                checkWidths(connection, codec, fingerprint);
                for (Namespace namespace : Namespace.values()) {
                    long issued = SequencePosition.read(connection, namespace).issued();
                    if (issued > codec.capacity()) {
                        throw new NumberSpaceSetupException(String.format(
                                "orders.order-number.digits=%d is too narrow: the %s sequence has already issued %d "
                                        + "numbers, more than %d digits hold. Set ORDERS_ORDER_NUMBER_DIGITS to at "
                                        + "least %d.",
                                codec.digits(),
                                namespace.label(),
                                issued,
                                codec.digits(),
                                String.valueOf(issued - 1).length()));
                    }
                }
                registerWidth(connection, codec, fingerprint);
                Map<Integer, Integer> seeds = checkSeeds(connection);
                for (Namespace namespace : Namespace.values()) {
                    try (Statement statement = connection.createStatement()) {
                        // The name comes from the enum, never from input.
                        statement.execute("ALTER SEQUENCE " + namespace.sequenceName() + " MAXVALUE "
                                + codec.maxSequenceValue() + " NO CYCLE");
                    }
                }
                connection.commit();
                return codec.withCheckSeeds(seeds);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not set up the order-number space: " + e.getMessage(), e);
        }
    }

    private static void lock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            statement.setLong(1, ADVISORY_LOCK);
            statement.execute();
        }
    }

    private static void checkWidths(Connection connection, OrderNumberCodec codec, String fingerprint)
            throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT digits, key_fingerprint, check_digit FROM order_number_width ORDER BY digits")) {
            while (rows.next()) {
                int digits = rows.getInt(1);
                if (rows.getBoolean(3) != codec.checkDigit()) {
                    problems.add(String.format(
                            "numbers of %d digits were issued with orders.order-number.check-digit=%s;"
                                    + " it cannot change once numbers exist, or new numbers could take the length of old ones."
                                    + " Set ORDERS_ORDER_NUMBER_CHECK_DIGIT=%s.",
                            digits, rows.getBoolean(3), rows.getBoolean(3)));
                }
                if (digits == codec.digits() && !rows.getString(2).equals(fingerprint)) {
                    problems.add(String.format(
                            "numbers of %d digits were issued under another orders.order-number.key;"
                                    + " a new key for a width in use could repeat issued numbers. Restore the key that"
                                    + " issued them (ORDERS_ORDER_NUMBER_KEY), or widen to a new width to use a new key.",
                            digits));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new NumberSpaceSetupException(String.join(" ", problems));
        }
    }

    private static void registerWidth(Connection connection, OrderNumberCodec codec, String fingerprint)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO order_number_width (digits, key_fingerprint, check_digit, check_seed) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (digits) DO NOTHING")) {
            statement.setInt(1, codec.digits());
            statement.setString(2, fingerprint);
            statement.setBoolean(3, codec.checkDigit());
            statement.setInt(4, DammCheckDigit.seedForWidth(codec.digits()));
            if (statement.executeUpdate() == 1) {
                LOG.infof("Order numbers now issue at %d digits (key fingerprint %s)", codec.digits(), fingerprint);
            }
        }
    }

    /** The check-digit seed of every width in use: 0 for widths registered before seeds existed. */
    private static Map<Integer, Integer> checkSeeds(Connection connection) throws SQLException {
        Map<Integer, Integer> seeds = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT digits, check_seed FROM order_number_width")) {
            while (rows.next()) {
                seeds.put(rows.getInt(1), rows.getInt(2));
            }
        }
        return seeds;
    }
}
