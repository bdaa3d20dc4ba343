package io.dispensary.orders.webhook;

import io.dispensary.orders.common.database.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The one way into {@code webhook_subscription}, in plain JDBC, in the calling service's transaction. */
@ApplicationScoped
class SubscriptionStore {

    private static final String COLUMNS = "id, dispensary_id, url, events, include_test, secret, previous_secret,"
            + " previous_secret_expires_at, created_at, deleted_at";

    private final DataSource dataSource;

    SubscriptionStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void insert(Subscription subscription) {
        Jdbc.call(dataSource, "store webhook subscription " + subscription.id(), connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO webhook_subscription (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, subscription.id());
                insert.setString(2, subscription.dispensaryId());
                insert.setString(3, subscription.url());
                insert.setArray(
                        4,
                        connection.createArrayOf("text", subscription.events().toArray()));
                insert.setBoolean(5, subscription.includeTest());
                insert.setString(6, subscription.secret());
                insert.setString(7, subscription.previousSecret());
                insert.setTimestamp(8, timestamp(subscription.previousSecretExpiresAt()));
                insert.setTimestamp(9, timestamp(subscription.createdAt()));
                insert.setTimestamp(10, timestamp(subscription.deletedAt()));
                return insert.executeUpdate();
            }
        });
    }

    /** The subscription, deleted or not; {@code forUpdate} locks it against a concurrent rotation or delete. */
    Optional<Subscription> find(String id, boolean forUpdate) {
        return Jdbc.call(dataSource, "read webhook subscription " + id, connection -> {
            try (PreparedStatement find = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM webhook_subscription WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
                find.setString(1, id);
                try (ResultSet row = find.executeQuery()) {
                    return row.next() ? Optional.of(read(row)) : Optional.empty();
                }
            }
        });
    }

    /** A dispensary's live subscriptions, oldest first. */
    List<Subscription> ofDispensary(String dispensaryId) {
        return Jdbc.call(dataSource, "list the webhook subscriptions of " + dispensaryId, connection -> {
            try (PreparedStatement list = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM webhook_subscription WHERE dispensary_id = ? AND deleted_at IS NULL"
                    + " ORDER BY created_at, id")) {
                list.setString(1, dispensaryId);
                List<Subscription> found = new ArrayList<>();
                try (ResultSet row = list.executeQuery()) {
                    while (row.next()) {
                        found.add(read(row));
                    }
                }
                return found;
            }
        });
    }

    void markDeleted(String id, Instant at) {
        Jdbc.call(dataSource, "delete webhook subscription " + id, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "UPDATE webhook_subscription SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL")) {
                delete.setTimestamp(1, timestamp(at));
                delete.setString(2, id);
                return delete.executeUpdate();
            }
        });
    }

    /** The new secret signs from now on; the one it replaces still signs until {@code previousExpiresAt}. */
    void rotate(String id, String secret, Instant previousExpiresAt) {
        Jdbc.call(dataSource, "rotate the secret of webhook subscription " + id, connection -> {
            try (PreparedStatement rotate = connection.prepareStatement("UPDATE webhook_subscription"
                    + " SET previous_secret = secret, previous_secret_expires_at = ?, secret = ? WHERE id = ?")) {
                rotate.setTimestamp(1, timestamp(previousExpiresAt));
                rotate.setString(2, secret);
                rotate.setString(3, id);
                return rotate.executeUpdate();
            }
        });
    }

    private static Subscription read(ResultSet row) throws SQLException {
        Array events = row.getArray(4);
        return new Subscription(
                row.getString(1),
                row.getString(2),
                row.getString(3),
                List.copyOf(Arrays.asList((String[]) events.getArray())),
                row.getBoolean(5),
                row.getString(6),
                row.getString(7),
                instant(row.getTimestamp(8)),
                instant(row.getTimestamp(9)),
                instant(row.getTimestamp(10)));
    }

    static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
