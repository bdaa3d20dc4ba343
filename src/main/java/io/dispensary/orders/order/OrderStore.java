package io.dispensary.orders.order;

import io.dispensary.orders.common.database.Jdbc;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The one way into {@code customer_order}, {@code order_line} and {@code order_transition}: a new order with its
 * lines and first transition in one JDBC statement, everything else through the entities.
 *
 * <p>Create-order is the one path that runs at the service's peak rate. Through the ORM its writes took three
 * round trips and, with its reads, the largest share of its CPU in the load tests' profile: the service then
 * reached 0.19x pgbench's rate for the same rows. Here they take one round trip; the database draws the ids
 * from the columns' defaults, which the entities use too (V5). Orders read for display, listing and lifecycle
 * steps go through the entities (Panache), in the calling service's transaction. The INSERT's columns and the
 * entities' mapping are kept equal by Hibernate's schema validation and OrderRoundTripTest (every POST body
 * equals the GET that follows).
 */
@ApplicationScoped
class OrderStore {

    private static final String INSERT = """
            WITH new_order AS (
                INSERT INTO customer_order (order_number, test, sequence_value, number_digits, dispensary_id, status,
                                            fulfillment, customer_name, customer_phone, customer_email,
                                            customer_birth_date, customer_type, delivery_line1, delivery_line2,
                                            delivery_city, delivery_region, delivery_postal_code, total_cents,
                                            created_at, updated_at, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                RETURNING id
            ), new_lines AS (
                INSERT INTO order_line (order_id, line_no, sku, name, category, quantity, unit_price_cents,
                                        net_weight_grams, thc_mg, line_total_cents)
                SELECT new_order.id, line.*
                  FROM new_order,
                       unnest(?::integer[], ?::text[], ?::text[], ?::text[], ?::integer[], ?::bigint[], ?::numeric[],
                              ?::numeric[], ?::bigint[]) AS line
            ), first_transition AS (
                INSERT INTO order_transition (order_id, from_status, to_status, reason, api_key_id, at)
                SELECT new_order.id, ?, ?, ?, ?, ? FROM new_order
                RETURNING id
            )
            SELECT new_order.id, first_transition.id FROM new_order, first_transition""";

    private final DataSource dataSource;

    OrderStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores the order with its lines and its first transition, and sets the ids the database gave them. */
    @Transactional(Transactional.TxType.MANDATORY)
    void insert(CustomerOrder order, OrderTransition first) {
        // Inside the transaction the pool hands out the connection it already enlisted: same transaction, and
        // closing it only gives it back to the transaction.
        Jdbc.call(dataSource, "store order " + order.orderNumber, connection -> {
            insert(connection, order, first);
            return null;
        });
    }

    private static void insert(Connection connection, CustomerOrder order, OrderTransition first) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            int i = 0;
            statement.setString(++i, order.orderNumber);
            statement.setBoolean(++i, order.test);
            statement.setLong(++i, order.sequenceValue);
            statement.setInt(++i, order.numberDigits);
            statement.setString(++i, order.dispensaryId);
            statement.setString(++i, order.status.name());
            statement.setString(++i, order.fulfillment.name());
            statement.setString(++i, order.customerName);
            statement.setString(++i, order.customerPhone);
            statement.setString(++i, order.customerEmail);
            statement.setObject(++i, order.customerBirthDate);
            statement.setString(++i, order.customerType.name());
            statement.setString(++i, order.deliveryLine1);
            statement.setString(++i, order.deliveryLine2);
            statement.setString(++i, order.deliveryCity);
            statement.setString(++i, order.deliveryRegion);
            statement.setString(++i, order.deliveryPostalCode);
            statement.setLong(++i, order.totalCents);
            statement.setObject(++i, timestamp(order.createdAt), Types.TIMESTAMP_WITH_TIMEZONE);
            statement.setObject(++i, timestamp(order.updatedAt), Types.TIMESTAMP_WITH_TIMEZONE);
            statement.setInt(++i, order.version);

            List<OrderLine> lines = order.lines;
            statement.setArray(++i, array(connection, "integer", lines, line -> line.lineNo));
            statement.setArray(++i, array(connection, "text", lines, line -> line.sku));
            statement.setArray(++i, array(connection, "text", lines, line -> line.name));
            statement.setArray(++i, array(connection, "text", lines, line -> line.category.name()));
            statement.setArray(++i, array(connection, "integer", lines, line -> line.quantity));
            statement.setArray(++i, array(connection, "bigint", lines, line -> line.unitPriceCents));
            statement.setArray(++i, array(connection, "numeric", lines, line -> line.netWeightGrams));
            statement.setArray(++i, array(connection, "numeric", lines, line -> line.thcMg));
            statement.setArray(++i, array(connection, "bigint", lines, line -> line.lineTotalCents));

            statement.setString(++i, first.fromStatus == null ? null : first.fromStatus.name());
            statement.setString(++i, first.toStatus.name());
            statement.setString(++i, first.reason);
            statement.setString(++i, first.apiKeyId);
            statement.setObject(++i, timestamp(first.at), Types.TIMESTAMP_WITH_TIMEZONE);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                order.id = row.getLong(1);
                first.orderId = order.id;
                first.id = row.getLong(2);
            }
        }
    }

    /** The order with this number, locked as asked (a transition takes the row lock), in the caller's transaction. */
    Optional<CustomerOrder> findByNumber(String orderNumber, LockModeType lock) {
        return CustomerOrder.<CustomerOrder>find("orderNumber", orderNumber)
                .withLock(lock)
                .firstResultOptional();
    }

    /** The order's steps, oldest first. */
    List<OrderTransition> history(Long orderId) {
        return OrderTransition.list("orderId = ?1 order by at, id", orderId);
    }

    /** Stores a lifecycle step of an order changed in this transaction, and writes the order's change with it. */
    void recordTransition(CustomerOrder order, OrderTransition transition) {
        transition.orderId = order.id;
        transition.persist();
        CustomerOrder.flush();
    }

    /**
     * One page of a dispensary's orders matching the query, newest first: at most {@code limit} rows strictly
     * after {@code after} in (createdAt desc, id desc) order, the keyset of the listing.
     */
    List<CustomerOrder> page(String dispensaryId, OrderQuery query, Cursor after, int limit) {
        StringBuilder where = new StringBuilder("dispensaryId = :dispensary and test = :test");
        Parameters parameters = Parameters.with("dispensary", dispensaryId).and("test", query.test());
        if (!query.statuses().isEmpty()) {
            where.append(" and status in :statuses");
            parameters.and("statuses", query.statuses());
        }
        if (query.fulfillment() != null) {
            where.append(" and fulfillment = :fulfillment");
            parameters.and("fulfillment", query.fulfillment());
        }
        if (query.createdFrom() != null) {
            where.append(" and createdAt >= :from");
            parameters.and("from", query.createdFrom());
        }
        if (query.createdTo() != null) {
            where.append(" and createdAt < :to");
            parameters.and("to", query.createdTo());
        }
        if (after != null) {
            where.append(" and (createdAt < :cursorAt or (createdAt = :cursorAt and id < :cursorId))");
            parameters.and("cursorAt", after.createdAt()).and("cursorId", after.id());
        }
        return CustomerOrder.<CustomerOrder>find(where + " order by createdAt desc, id desc", parameters)
                .page(0, limit)
                .list();
    }

    private static Array array(
            Connection connection, String type, List<OrderLine> lines, Function<OrderLine, Object> column)
            throws SQLException {
        return connection.createArrayOf(type, lines.stream().map(column).toArray());
    }

    private static java.time.OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
