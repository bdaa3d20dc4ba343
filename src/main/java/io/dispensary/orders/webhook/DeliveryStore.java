package io.dispensary.orders.webhook;

import static io.dispensary.orders.webhook.SubscriptionStore.instant;
import static io.dispensary.orders.webhook.SubscriptionStore.timestamp;

import io.dispensary.orders.common.database.Jdbc;
import io.dispensary.orders.common.database.Write;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import javax.sql.DataSource;

/**
 * The one way into {@code order_event} and {@code webhook_delivery}, the outbox and its deliveries, in plain JDBC.
 *
 * <p>Every statement that moves a delivery names the state it moves it from, so two instances, or a worker whose
 * lease ran out, can never move one delivery twice: an update that finds the row elsewhere changes nothing and
 * says so, and only what changed is counted.
 */
@ApplicationScoped
class DeliveryStore {

    /** The event, and a delivery for every live subscription of its dispensary that takes it, in one statement. */
    private static final String APPEND = "WITH event AS ("
            + " INSERT INTO order_event (id, type, dispensary_id, order_number, test, payload, occurred_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id, seq, type, order_number)"
            + " INSERT INTO webhook_delivery (subscription_id, event_id, event_seq, order_number, type, state,"
            + " next_attempt_at, created_at, updated_at)"
            + " SELECT s.id, event.id, event.seq, event.order_number, event.type, 'pending', now(), now(), now()"
            + " FROM event JOIN webhook_subscription s ON s.dispensary_id = ? AND s.deleted_at IS NULL"
            + " AND event.type = ANY (s.events) AND (s.include_test OR NOT ?)";

    /**
     * Due deliveries, at most {@code perSubscription} less what this instance already has in flight to each
     * subscription, and {@code total} in all. Subscriptions are visited in random order, each through its own index
     * probe, so one with a large backlog cannot fill the batch. A delivery waits while an earlier event of its order
     * is undelivered to the same subscription (events of an order arrive in order): it must be its order's first
     * unfinished event. Written as a scalar subquery, one index probe per row looked at, and read in index order
     * (subscription, next attempt, event), so a claim stops after the rows it takes: as NOT EXISTS the planner
     * hashed the subscription's whole backlog on every claim (36 ms at 40,000 pending, 0.6 ms now; loadtest
     * showed such claims cut at the statement timeout under load). SKIP LOCKED: instances claiming
     * at the same moment take different rows. The claim is a lease: next_attempt_at moves past it, so the delivery
     * is due again only if this instance never records a result.
     */
    private static final String CLAIM =
            "WITH busy AS (SELECT * FROM unnest(?::text[], ?::int[]) AS b(subscription_id, n)),"
                    + " claimable AS ("
                    + " SELECT d.subscription_id, d.event_id"
                    + " FROM (SELECT id FROM webhook_subscription WHERE deleted_at IS NULL ORDER BY random()) s"
                    + " LEFT JOIN busy ON busy.subscription_id = s.id"
                    + " CROSS JOIN LATERAL ("
                    + " SELECT d.subscription_id, d.event_id FROM webhook_delivery d"
                    + " WHERE d.subscription_id = s.id AND d.state IN ('pending', 'retrying') AND d.next_attempt_at <= now()"
                    + " AND d.event_seq = (SELECT min(p.event_seq) FROM webhook_delivery p"
                    + " WHERE p.subscription_id = d.subscription_id AND p.order_number = d.order_number"
                    + " AND p.state IN ('pending', 'retrying'))"
                    + " ORDER BY d.next_attempt_at, d.event_seq"
                    + " LIMIT greatest(? - coalesce(busy.n, 0), 0)"
                    + " FOR UPDATE OF d SKIP LOCKED) d"
                    + " LIMIT ?)"
                    + " UPDATE webhook_delivery d SET attempts = d.attempts + 1,"
                    + " next_attempt_at = now() + ? * interval '1 millisecond', leased_until = now() + ? * interval '1 millisecond',"
                    + " updated_at = now()"
                    + " FROM claimable c, order_event e, webhook_subscription s"
                    + " WHERE d.subscription_id = c.subscription_id AND d.event_id = c.event_id"
                    + " AND e.id = d.event_id AND s.id = d.subscription_id"
                    + " RETURNING d.subscription_id, d.event_id, d.attempts, d.failures, s.url, e.payload, e.occurred_at,"
                    + " s.secret, CASE WHEN s.previous_secret_expires_at > now() THEN s.previous_secret END";

    private static final String UNFINISHED = "('pending', 'retrying')";

    private final DataSource dataSource;

    DeliveryStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The write of an event and its deliveries, for the caller's transaction; {@code fannedOut} is told how many
     * deliveries it made.
     */
    Write appending(String eventId, OrderEvent event, String payload, IntConsumer fannedOut) {
        return new Write(
                "write event " + eventId,
                APPEND,
                (connection, append, i) -> {
                    append.setString(i + 1, eventId);
                    append.setString(i + 2, event.type().wireName());
                    append.setString(i + 3, event.dispensaryId());
                    append.setString(i + 4, event.orderNumber());
                    append.setBoolean(i + 5, event.test());
                    append.setString(i + 6, payload);
                    append.setTimestamp(i + 7, timestamp(event.occurredAt()));
                    append.setString(i + 8, event.dispensaryId());
                    append.setBoolean(i + 9, event.test());
                    return i + 9;
                },
                fannedOut);
    }

    /** A delivery this instance has claimed, with what it needs to send it. */
    record Claimed(
            String subscriptionId,
            String eventId,
            int attempt,
            int failures,
            String url,
            String payload,
            Instant occurredAt,
            List<String> secrets) {}

    List<Claimed> claim(Map<String, Integer> busy, int perSubscription, int total, Duration lease) {
        return Jdbc.call(dataSource, "claim due webhook deliveries", connection -> {
            try (PreparedStatement claim = connection.prepareStatement(CLAIM)) {
                claim.setArray(1, connection.createArrayOf("text", busy.keySet().toArray()));
                claim.setArray(2, connection.createArrayOf("int4", busy.values().toArray()));
                claim.setInt(3, perSubscription);
                claim.setInt(4, total);
                claim.setLong(5, lease.toMillis());
                claim.setLong(6, lease.toMillis());
                List<Claimed> claimed = new ArrayList<>();
                try (ResultSet row = claim.executeQuery()) {
                    while (row.next()) {
                        String previous = row.getString(9);
                        claimed.add(new Claimed(
                                row.getString(1),
                                row.getString(2),
                                row.getInt(3),
                                row.getInt(4),
                                row.getString(5),
                                row.getString(6),
                                instant(row.getTimestamp(7)),
                                previous == null ? List.of(row.getString(8)) : List.of(row.getString(8), previous)));
                    }
                }
                return claimed;
            }
        });
    }

    /**
     * Records a 2xx; answers when it was delivered, or empty when the delivery was no longer this attempt's (its
     * subscription was deleted, or its lease ran out and another attempt took it).
     */
    Optional<Instant> delivered(Claimed claimed, int statusCode) {
        return Jdbc.call(dataSource, "record a webhook delivery", connection -> {
            try (PreparedStatement update =
                    connection.prepareStatement("UPDATE webhook_delivery SET state = 'delivered',"
                            + " delivered_at = now(), updated_at = now(), next_attempt_at = NULL, leased_until = NULL,"
                            + " last_status_code = ?, last_error = NULL"
                            + " WHERE subscription_id = ? AND event_id = ? AND attempts = ? AND state IN " + UNFINISHED
                            + " RETURNING delivered_at")) {
                update.setInt(1, statusCode);
                update.setString(2, claimed.subscriptionId());
                update.setString(3, claimed.eventId());
                update.setInt(4, claimed.attempt());
                try (ResultSet row = update.executeQuery()) {
                    return row.next() ? Optional.of(instant(row.getTimestamp(1))) : Optional.empty();
                }
            }
        });
    }

    /**
     * Records a failed attempt: retrying after {@code wait}, or dead when there is none. Answers whether the row was
     * still this attempt's.
     */
    boolean failed(Claimed claimed, Integer statusCode, String error, Optional<Duration> wait) {
        return Jdbc.call(dataSource, "record a failed webhook delivery", connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE webhook_delivery SET state = ?,"
                    + " next_attempt_at = now() + ? * interval '1 millisecond', leased_until = NULL,"
                    + " failures = failures + 1, last_status_code = ?, last_error = ?, updated_at = now()"
                    + " WHERE subscription_id = ? AND event_id = ? AND attempts = ? AND state IN " + UNFINISHED)) {
                update.setString(1, wait.isPresent() ? "retrying" : "dead");
                if (wait.isPresent()) {
                    update.setLong(2, wait.get().toMillis());
                } else {
                    update.setNull(2, java.sql.Types.BIGINT);
                }
                if (statusCode == null) {
                    update.setNull(3, java.sql.Types.INTEGER);
                } else {
                    update.setInt(3, statusCode);
                }
                update.setString(4, error == null ? null : truncate(error, 500));
                update.setString(5, claimed.subscriptionId());
                update.setString(6, claimed.eventId());
                update.setInt(7, claimed.attempt());
                return update.executeUpdate() == 1;
            }
        });
    }

    /** Cancels every delivery of a subscription that was not delivered; answers how many. */
    int cancelAll(String subscriptionId) {
        return Jdbc.call(dataSource, "cancel the deliveries of " + subscriptionId, connection -> {
            try (PreparedStatement cancel = connection.prepareStatement(CANCEL + " AND subscription_id = ?")) {
                cancel.setString(1, subscriptionId);
                return cancel.executeUpdate();
            }
        });
    }

    private static final String CANCEL = "UPDATE webhook_delivery SET state = 'cancelled', next_attempt_at = NULL,"
            + " leased_until = NULL, updated_at = now() WHERE state IN ('pending', 'retrying', 'dead')";

    /**
     * Cancels what an order's transaction fanned out to a subscription while it was being deleted (the fan-out reads
     * subscriptions without a lock, so it cannot wait for the delete): by subscription, how many.
     */
    Map<String, Integer> cancelOfDeleted() {
        return Jdbc.call(dataSource, "cancel the deliveries of deleted subscriptions", connection -> {
            try (PreparedStatement cancel = connection.prepareStatement("WITH cancelled AS (" + CANCEL
                    + " AND subscription_id IN (SELECT id FROM webhook_subscription WHERE deleted_at IS NOT NULL)"
                    + " RETURNING subscription_id) SELECT subscription_id, count(*) FROM cancelled GROUP BY 1")) {
                Map<String, Integer> cancelled = new java.util.TreeMap<>();
                try (ResultSet row = cancel.executeQuery()) {
                    while (row.next()) {
                        cancelled.put(row.getString(1), row.getInt(2));
                    }
                }
                return cancelled;
            }
        });
    }

    /** What {@code retry} found. */
    enum Retry {
        DUE_NOW,
        IN_FLIGHT,
        FINISHED,
        UNKNOWN
    }

    /**
     * Makes a dead or waiting delivery due now. A dead one gets one more attempt (and is dead again if it fails);
     * a waiting one keeps its place in the schedule. One that is being attempted is left to that attempt.
     */
    Retry retryNow(String subscriptionId, String eventId) {
        return Jdbc.call(dataSource, "retry delivery " + eventId, connection -> {
            try (PreparedStatement retry = connection.prepareStatement("WITH found AS ("
                    + " SELECT state, leased_until > now() AS leased FROM webhook_delivery"
                    + " WHERE subscription_id = ? AND event_id = ? FOR UPDATE),"
                    + " moved AS (UPDATE webhook_delivery d SET next_attempt_at = now(), updated_at = now(),"
                    + " state = CASE WHEN d.state = 'dead' THEN 'retrying' ELSE d.state END FROM found"
                    + " WHERE d.subscription_id = ? AND d.event_id = ? AND found.state IN ('pending', 'retrying', 'dead')"
                    + " AND found.leased IS NOT TRUE RETURNING 1)"
                    + " SELECT found.state, found.leased, (SELECT count(*) FROM moved) FROM found")) {
                retry.setString(1, subscriptionId);
                retry.setString(2, eventId);
                retry.setString(3, subscriptionId);
                retry.setString(4, eventId);
                try (ResultSet row = retry.executeQuery()) {
                    if (!row.next()) {
                        return Retry.UNKNOWN;
                    }
                    if (row.getLong(3) == 1) {
                        return Retry.DUE_NOW;
                    }
                    return row.getBoolean(2) ? Retry.IN_FLIGHT : Retry.FINISHED;
                }
            }
        });
    }

    /** One delivery as the admin API shows it. */
    record Row(
            String eventId,
            String type,
            String orderNumber,
            DeliveryState state,
            int attempts,
            Integer lastStatusCode,
            String lastError,
            Instant nextAttemptAt,
            Instant createdAt,
            Instant deliveredAt,
            long eventSeq) {}

    private static final String ROW = "event_id, type, order_number, state, attempts, last_status_code, last_error,"
            + " next_attempt_at, created_at, delivered_at, event_seq";

    Optional<Row> find(String subscriptionId, String eventId) {
        return Jdbc.call(dataSource, "read delivery " + eventId, connection -> {
            try (PreparedStatement find = connection.prepareStatement(
                    "SELECT " + ROW + " FROM webhook_delivery WHERE subscription_id = ? AND event_id = ?")) {
                find.setString(1, subscriptionId);
                find.setString(2, eventId);
                try (ResultSet row = find.executeQuery()) {
                    return row.next() ? Optional.of(row(row)) : Optional.empty();
                }
            }
        });
    }

    /** Deliveries of a subscription in event order after {@code afterSeq}, of one state or all. */
    List<Row> page(String subscriptionId, DeliveryState state, long afterSeq, int limit) {
        return Jdbc.call(dataSource, "list the deliveries of " + subscriptionId, connection -> {
            try (PreparedStatement page = connection.prepareStatement("SELECT " + ROW
                    + " FROM webhook_delivery WHERE subscription_id = ? AND event_seq > ?"
                    + (state == null ? "" : " AND state = ?") + " ORDER BY event_seq LIMIT ?")) {
                int index = 0;
                page.setString(++index, subscriptionId);
                page.setLong(++index, afterSeq);
                if (state != null) {
                    page.setString(++index, state.column());
                }
                page.setInt(++index, limit);
                List<Row> rows = new ArrayList<>();
                try (ResultSet row = page.executeQuery()) {
                    while (row.next()) {
                        rows.add(row(row));
                    }
                }
                return rows;
            }
        });
    }

    private static Row row(ResultSet row) throws SQLException {
        int code = row.getInt(6);
        return new Row(
                row.getString(1),
                row.getString(2),
                row.getString(3),
                DeliveryState.ofColumn(row.getString(4)),
                row.getInt(5),
                row.wasNull() ? null : code,
                row.getString(7),
                instant(row.getTimestamp(8)),
                instant(row.getTimestamp(9)),
                instant(row.getTimestamp(10)),
                row.getLong(11));
    }

    /** The counts of one subscription's deliveries by state, pruned ones included, read in one snapshot. */
    DeliverySummary summary(String subscriptionId) {
        return Jdbc.call(dataSource, "count the deliveries of " + subscriptionId, connection -> {
            try (PreparedStatement count = connection.prepareStatement("SELECT"
                    + " s.pruned_delivered + count(*) FILTER (WHERE d.state = 'delivered'),"
                    + " count(*) FILTER (WHERE d.state = 'pending'), count(*) FILTER (WHERE d.state = 'retrying'),"
                    + " count(*) FILTER (WHERE d.state = 'dead'),"
                    + " s.pruned_cancelled + count(*) FILTER (WHERE d.state = 'cancelled')"
                    + " FROM webhook_subscription s LEFT JOIN webhook_delivery d ON d.subscription_id = s.id"
                    + " WHERE s.id = ? GROUP BY s.id")) {
                count.setString(1, subscriptionId);
                try (ResultSet row = count.executeQuery()) {
                    if (!row.next()) {
                        throw new IllegalStateException("no subscription " + subscriptionId);
                    }
                    return DeliverySummary.of(
                            row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5));
                }
            }
        });
    }

    /** The backlog of one live subscription: counts of the unfinished states and the age of the oldest of each. */
    record Backlog(
            String subscriptionId, long pending, long retrying, long dead, double pendingAge, double retryingAge) {}

    List<Backlog> backlog() {
        return Jdbc.call(dataSource, "read the webhook backlog", connection -> {
            try (PreparedStatement read = connection.prepareStatement("SELECT s.id,"
                    + " count(d.*) FILTER (WHERE d.state = 'pending'), count(d.*) FILTER (WHERE d.state = 'retrying'),"
                    + " count(d.*) FILTER (WHERE d.state = 'dead'),"
                    + " coalesce(extract(epoch FROM now() - min(d.created_at) FILTER (WHERE d.state = 'pending')), 0),"
                    + " coalesce(extract(epoch FROM now() - min(d.created_at) FILTER (WHERE d.state = 'retrying')), 0)"
                    + " FROM webhook_subscription s LEFT JOIN webhook_delivery d ON d.subscription_id = s.id"
                    + " AND d.state IN ('pending', 'retrying', 'dead')"
                    + " WHERE s.deleted_at IS NULL GROUP BY s.id ORDER BY s.id")) {
                List<Backlog> backlog = new ArrayList<>();
                try (ResultSet row = read.executeQuery()) {
                    while (row.next()) {
                        backlog.add(new Backlog(
                                row.getString(1),
                                row.getLong(2),
                                row.getLong(3),
                                row.getLong(4),
                                row.getDouble(5),
                                row.getDouble(6)));
                    }
                }
                return backlog;
            }
        });
    }

    /**
     * Removes up to {@code batch} delivered and cancelled deliveries older than {@code retention}, adding them to
     * their subscription's pruned counts in the same statement (so the summary adds up before and after), then up
     * to {@code batch} events that old with no delivery left. SKIP LOCKED: two instances pruning at once take
     * different rows and count each once. Answers how many deliveries went.
     */
    int prune(Duration retention, int batch) {
        return Jdbc.call(dataSource, "prune old webhook deliveries", connection -> {
            int deliveries;
            try (PreparedStatement prune = connection.prepareStatement("WITH gone AS ("
                    + " DELETE FROM webhook_delivery WHERE ctid IN (SELECT ctid FROM webhook_delivery"
                    + " WHERE state IN ('delivered', 'cancelled') AND updated_at < now() - ? * interval '1 millisecond'"
                    + " LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING subscription_id, state),"
                    + " counted AS (SELECT subscription_id, count(*) FILTER (WHERE state = 'delivered') AS delivered,"
                    + " count(*) FILTER (WHERE state = 'cancelled') AS cancelled FROM gone GROUP BY subscription_id),"
                    + " added AS (UPDATE webhook_subscription s SET pruned_delivered = s.pruned_delivered + c.delivered,"
                    + " pruned_cancelled = s.pruned_cancelled + c.cancelled FROM counted c WHERE s.id = c.subscription_id"
                    + " RETURNING 1)"
                    + " SELECT count(*) FROM gone")) {
                prune.setLong(1, retention.toMillis());
                prune.setInt(2, batch);
                try (ResultSet row = prune.executeQuery()) {
                    row.next();
                    deliveries = row.getInt(1);
                }
            }
            try (PreparedStatement events = connection.prepareStatement("DELETE FROM order_event WHERE id IN ("
                    + " SELECT e.id FROM order_event e WHERE e.occurred_at < now() - ? * interval '1 millisecond'"
                    + " AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.event_id = e.id)"
                    + " LIMIT ? FOR UPDATE SKIP LOCKED)")) {
                events.setLong(1, retention.toMillis());
                events.setInt(2, batch);
                events.executeUpdate();
            }
            return deliveries;
        });
    }

    private static String truncate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }
}
