package io.dispensary.orders.numberspace;

import io.dispensary.orders.common.database.Jdbc;
import io.dispensary.orders.ordernumber.Namespace;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The issue history behind the exhaustion ETA: (time, issued) samples in {@code number_space_sample}, shared by
 * every instance and kept across restarts (see V3__number_space_samples.sql). About one sample per namespace
 * every {@code spacing}, whichever instance takes it (two instances refreshing at the same moment may both
 * store one, which does not change the rate); samples older than the window (plus one spacing, so the window's
 * start always has one) are deleted as new ones come.
 */
final class IssueSampleStore {

    private final DataSource dataSource;
    private final Duration window;
    private final Duration spacing;

    IssueSampleStore(DataSource dataSource, Duration window, Duration spacing) {
        this.dataSource = dataSource;
        this.window = window;
        this.spacing = spacing;
    }

    record Sample(Instant at, long issued) {}

    /** What one refresh saw of a namespace: the issued count now and the oldest sample of the window. */
    record Observation(long issued, Optional<Sample> oldest) {}

    /** Reads where the namespace's sequence stands, stores it as a sample and returns the window's oldest. */
    Observation observe(Namespace namespace, Instant at) {
        return Jdbc.call(dataSource, "read the " + namespace.label() + " sequence", connection -> {
            long issued = SequencePosition.read(connection, namespace).issued();
            return new Observation(issued, recordAndFindOldest(connection, namespace, at, issued));
        });
    }

    /** Stores an observation the caller made, for tests that drive time themselves. */
    Observation observe(Namespace namespace, long issued, Instant at) {
        return Jdbc.call(
                dataSource,
                "store a number-space sample",
                connection -> new Observation(issued, recordAndFindOldest(connection, namespace, at, issued)));
    }

    private Optional<Sample> recordAndFindOldest(Connection connection, Namespace namespace, Instant at, long issued)
            throws SQLException {
        record(connection, namespace, at, issued);
        return oldestInWindow(connection, namespace, at);
    }

    /** Stores this observation unless one was stored less than a spacing before it. */
    private void record(Connection connection, Namespace namespace, Instant at, long issued) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO number_space_sample (namespace, sampled_at, issued)
                SELECT ?, ?, ?
                 WHERE NOT EXISTS (SELECT 1 FROM number_space_sample
                                    WHERE namespace = ? AND sampled_at > ? AND sampled_at <= ?)
                ON CONFLICT DO NOTHING""")) {
            insert.setString(1, namespace.label());
            insert.setTimestamp(2, Timestamp.from(at));
            insert.setLong(3, issued);
            insert.setString(4, namespace.label());
            insert.setTimestamp(5, Timestamp.from(at.minus(spacing)));
            insert.setTimestamp(6, Timestamp.from(at));
            if (insert.executeUpdate() == 0) {
                return;
            }
        }
        try (PreparedStatement prune =
                connection.prepareStatement("DELETE FROM number_space_sample WHERE namespace = ? AND sampled_at < ?")) {
            prune.setString(1, namespace.label());
            prune.setTimestamp(2, Timestamp.from(at.minus(window).minus(spacing)));
            prune.executeUpdate();
        }
    }

    /** The oldest sample inside the window that ends at {@code at}, whichever instance took it. */
    private Optional<Sample> oldestInWindow(Connection connection, Namespace namespace, Instant at)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT sampled_at, issued FROM number_space_sample
                 WHERE namespace = ? AND sampled_at >= ? AND sampled_at <= ?
                 ORDER BY sampled_at LIMIT 1""")) {
            select.setString(1, namespace.label());
            select.setTimestamp(2, Timestamp.from(at.minus(window)));
            select.setTimestamp(3, Timestamp.from(at));
            try (ResultSet row = select.executeQuery()) {
                return row.next()
                        ? Optional.of(new Sample(row.getTimestamp(1).toInstant(), row.getLong(2)))
                        : Optional.empty();
            }
        }
    }
}
