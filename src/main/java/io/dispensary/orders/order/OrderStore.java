package io.dispensary.orders.order;

import io.dispensary.orders.common.database.Jdbc;
import io.dispensary.orders.common.database.Write;
import io.dispensary.orders.tenant.CustomerType;
import io.dispensary.orders.tenant.Fulfillment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The one way into {@code customer_order}, {@code order_line} and {@code order_transition}, in plain JDBC, in the
 * calling service's transaction.
 *
 * <p>Each table's columns are listed once, below: name, SQL type, how an object gives the value and how a row
 * sets it back. Every statement is built from those lists, so a column added to one direction is added to both.
 *
 * <p>Why JDBC and not the ORM: create-order is the one path that runs at the service's peak rate. Through the
 * ORM its writes took three round trips and, with its reads, the largest share of its CPU in the load tests'
 * profile: the service then reached 0.19x pgbench's rate for the same rows. Here a new order, its lines and its
 * first transition take one statement, and a lifecycle step one more. Reads, listing and lifecycle steps use the
 * same mapping, so the aggregate is reached one way; OrderRoundTripTest checks that every POST /orders body equals
 * the GET that follows.
 */
@ApplicationScoped
class OrderStore {

    /** One column: its name and SQL type, the value an object gives it, and how a row sets the object. */
    private record Column<T>(String name, String type, Function<T, Object> value, Reader<T> read) {}

    @FunctionalInterface
    private interface Reader<T> {
        void read(T target, ResultSet row, int index) throws SQLException;
    }

    /** A whole row as an object. */
    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private static final List<Column<CustomerOrder>> ORDER = List.of(
            new Column<>("order_number", "text", o -> o.orderNumber, (o, r, i) -> o.orderNumber = r.getString(i)),
            new Column<>("test", "boolean", o -> o.test, (o, r, i) -> o.test = r.getBoolean(i)),
            new Column<>("sequence_value", "bigint", o -> o.sequenceValue, (o, r, i) -> o.sequenceValue = r.getLong(i)),
            new Column<>("number_digits", "integer", o -> o.numberDigits, (o, r, i) -> o.numberDigits = r.getInt(i)),
            new Column<>("dispensary_id", "text", o -> o.dispensaryId, (o, r, i) -> o.dispensaryId = r.getString(i)),
            new Column<>("status", "text", o -> name(o.status), (o, r, i) -> o.status = status(r.getString(i))),
            new Column<>(
                    "fulfillment",
                    "text",
                    o -> name(o.fulfillment),
                    (o, r, i) -> o.fulfillment = Fulfillment.valueOf(r.getString(i))),
            new Column<>("customer_name", "text", o -> o.customerName, (o, r, i) -> o.customerName = r.getString(i)),
            new Column<>("customer_phone", "text", o -> o.customerPhone, (o, r, i) -> o.customerPhone = r.getString(i)),
            new Column<>("customer_email", "text", o -> o.customerEmail, (o, r, i) -> o.customerEmail = r.getString(i)),
            new Column<>(
                    "customer_birth_date",
                    "date",
                    o -> o.customerBirthDate,
                    (o, r, i) -> o.customerBirthDate = r.getObject(i, LocalDate.class)),
            new Column<>(
                    "customer_type",
                    "text",
                    o -> name(o.customerType),
                    (o, r, i) -> o.customerType = CustomerType.valueOf(r.getString(i))),
            new Column<>("delivery_line1", "text", o -> o.deliveryLine1, (o, r, i) -> o.deliveryLine1 = r.getString(i)),
            new Column<>("delivery_line2", "text", o -> o.deliveryLine2, (o, r, i) -> o.deliveryLine2 = r.getString(i)),
            new Column<>("delivery_city", "text", o -> o.deliveryCity, (o, r, i) -> o.deliveryCity = r.getString(i)),
            new Column<>(
                    "delivery_region", "text", o -> o.deliveryRegion, (o, r, i) -> o.deliveryRegion = r.getString(i)),
            new Column<>(
                    "delivery_postal_code",
                    "text",
                    o -> o.deliveryPostalCode,
                    (o, r, i) -> o.deliveryPostalCode = r.getString(i)),
            new Column<>("total_cents", "bigint", o -> o.totalCents, (o, r, i) -> o.totalCents = r.getLong(i)),
            new Column<>(
                    "created_at", "timestamptz", o -> timestamp(o.createdAt), (o, r, i) -> o.createdAt = instant(r, i)),
            new Column<>(
                    "updated_at", "timestamptz", o -> timestamp(o.updatedAt), (o, r, i) -> o.updatedAt = instant(r, i)),
            new Column<>("version", "integer", o -> o.version, (o, r, i) -> o.version = r.getInt(i)));

    private static final List<Column<OrderLine>> LINE = List.of(
            new Column<>("line_no", "integer", l -> l.lineNo, (l, r, i) -> l.lineNo = r.getInt(i)),
            new Column<>("sku", "text", l -> l.sku, (l, r, i) -> l.sku = r.getString(i)),
            new Column<>("name", "text", l -> l.name, (l, r, i) -> l.name = r.getString(i)),
            new Column<>(
                    "category",
                    "text",
                    l -> name(l.category),
                    (l, r, i) -> l.category = ProductCategory.valueOf(r.getString(i))),
            new Column<>("quantity", "integer", l -> l.quantity, (l, r, i) -> l.quantity = r.getInt(i)),
            new Column<>(
                    "unit_price_cents", "bigint", l -> l.unitPriceCents, (l, r, i) -> l.unitPriceCents = r.getLong(i)),
            new Column<>(
                    "net_weight_grams",
                    "numeric",
                    l -> l.netWeightGrams,
                    (l, r, i) -> l.netWeightGrams = r.getBigDecimal(i)),
            new Column<>("thc_mg", "numeric", l -> l.thcMg, (l, r, i) -> l.thcMg = r.getBigDecimal(i)),
            new Column<>(
                    "line_total_cents", "bigint", l -> l.lineTotalCents, (l, r, i) -> l.lineTotalCents = r.getLong(i)));

    private static final List<Column<OrderTransition>> TRANSITION = List.of(
            new Column<>(
                    "from_status", "text", t -> name(t.fromStatus), (t, r, i) -> t.fromStatus = status(r.getString(i))),
            new Column<>("to_status", "text", t -> name(t.toStatus), (t, r, i) -> t.toStatus = status(r.getString(i))),
            new Column<>("reason", "text", t -> t.reason, (t, r, i) -> t.reason = r.getString(i)),
            new Column<>("api_key_id", "text", t -> t.apiKeyId, (t, r, i) -> t.apiKeyId = r.getString(i)),
            new Column<>("at", "timestamptz", t -> timestamp(t.at), (t, r, i) -> t.at = instant(r, i)));

    /**
     * The order, its lines (one array per column, unnested) and its first step, in one statement whose count is
     * the one step's row. Nothing comes back: the create answers with what it wrote, and the ids stay inside.
     */
    private static final String INSERT = "WITH new_order AS (INSERT INTO customer_order (" + names(ORDER)
            + ") VALUES (" + parameters(ORDER, "") + ") RETURNING id),"
            + " new_lines AS (INSERT INTO order_line (order_id, " + names(LINE) + ")"
            + " SELECT new_order.id, line.* FROM new_order, unnest(" + parameters(LINE, "[]") + ") AS line)"
            + " INSERT INTO order_transition (order_id, " + names(TRANSITION) + ")"
            + " SELECT new_order.id, " + parameters(TRANSITION, "") + " FROM new_order";

    private static final String SELECT_ORDER = "SELECT id, " + names(ORDER) + " FROM customer_order";
    private static final String SELECT_LINES =
            "SELECT " + names(LINE) + " FROM order_line WHERE order_id = ? ORDER BY line_no";
    private static final String SELECT_HISTORY =
            "SELECT id, " + names(TRANSITION) + " FROM order_transition WHERE order_id = ? ORDER BY at, id";

    /**
     * A lifecycle step: the order's new status and time, its version one up (checked against the version read
     * under the row lock), and the step, in one round trip.
     */
    private static final String MOVE = "WITH moved AS (UPDATE customer_order SET status = ?, updated_at = ?,"
            + " version = version + 1 WHERE id = ? AND version = ? RETURNING id)"
            + " INSERT INTO order_transition (order_id, " + names(TRANSITION) + ")"
            + " SELECT moved.id, " + parameters(TRANSITION, "") + " FROM moved RETURNING id";

    private final DataSource dataSource;

    OrderStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The write that stores the order with its lines and its first transition, for the service to send with the
     * create's other writes (common.database.Writes).
     */
    Write insertion(CustomerOrder order, OrderTransition first) {
        return new Write("store order " + order.orderNumber, INSERT, (connection, statement, before) -> {
            int i = bind(statement, before, ORDER, order);
            for (Column<OrderLine> column : LINE) {
                Object[] values = order.lines.stream().map(column.value()).toArray();
                statement.setArray(++i, connection.createArrayOf(column.type(), values));
            }
            return bind(statement, i, TRANSITION, first);
        });
    }

    /**
     * The order with this number and its lines, in the caller's transaction; with {@code dispensaryId}, only if it
     * is that dispensary's (null: any dispensary's, for INTERNAL keys).
     *
     * <p>The dispensary is part of the query, not a filter applied to what it returns: another dispensary's order
     * and a number never issued then take the same statement, the same lookup and no read of the lines, so the
     * time of a 404 does not tell them apart (an outside test measured 699 us against 631 us when the order was
     * read, lines and all, before its owner was checked).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<CustomerOrder> find(String orderNumber, String dispensaryId) {
        return find(orderNumber, dispensaryId, "");
    }

    /** The same, with the row locked until the transaction ends: a concurrent step waits, then sees this one. */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<CustomerOrder> findForUpdate(String orderNumber, String dispensaryId) {
        return find(orderNumber, dispensaryId, " FOR UPDATE");
    }

    private Optional<CustomerOrder> find(String orderNumber, String dispensaryId, String lock) {
        String sql = SELECT_ORDER + " WHERE order_number = ?" + (dispensaryId == null ? "" : " AND dispensary_id = ?")
                + lock;
        return Jdbc.call(dataSource, "read order " + orderNumber, connection -> {
            CustomerOrder order;
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, orderNumber);
                if (dispensaryId != null) {
                    statement.setString(2, dispensaryId);
                }
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    order = readOrder(row);
                }
            }
            order.lines = readAll(connection, SELECT_LINES, order.id, line -> read(line, 0, LINE, new OrderLine()));
            return Optional.of(order);
        });
    }

    /** The order's steps, oldest first. */
    @Transactional(Transactional.TxType.MANDATORY)
    List<OrderTransition> history(long orderId) {
        return Jdbc.call(
                dataSource,
                "read the history of order " + orderId,
                connection -> readAll(connection, SELECT_HISTORY, orderId, row -> {
                    OrderTransition step = new OrderTransition();
                    step.id = row.getLong(1);
                    step.orderId = orderId;
                    return read(row, 1, TRANSITION, step);
                }));
    }

    /**
     * Records a lifecycle step of an order read with {@link #findForUpdate} in this transaction: the order's
     * status and update time as the caller set them, and its version one up.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void recordTransition(CustomerOrder order, OrderTransition step) {
        step.orderId = order.id;
        Jdbc.call(dataSource, "move order " + order.orderNumber, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(MOVE)) {
                statement.setString(1, order.status.name());
                statement.setObject(2, timestamp(order.updatedAt));
                statement.setLong(3, order.id);
                statement.setInt(4, order.version);
                bind(statement, 4, TRANSITION, step);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        // The row lock makes this impossible; if it happens, the step must not be acknowledged.
                        throw new IllegalStateException("order " + order.orderNumber + " changed under its row lock");
                    }
                    step.id = row.getLong(1);
                }
            }
            return null;
        });
        order.version++;
    }

    /**
     * One page of a dispensary's orders matching the query, newest first: at most {@code limit} rows strictly
     * after {@code after} in (createdAt desc, id desc) order, the keyset of the listing (and of its index). The
     * rows come without their lines, which a listing does not show.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    List<CustomerOrder> page(String dispensaryId, OrderQuery query, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder(SELECT_ORDER).append(" WHERE dispensary_id = ? AND test = ?");
        List<Object> values = new ArrayList<>(List.of(dispensaryId, query.test()));
        if (!query.statuses().isEmpty()) {
            sql.append(" AND status = ANY (?::text[])");
            values.add(query.statuses().stream().map(Enum::name).toArray(String[]::new));
        }
        if (query.fulfillment() != null) {
            sql.append(" AND fulfillment = ?");
            values.add(query.fulfillment().name());
        }
        if (query.createdFrom() != null) {
            sql.append(" AND created_at >= ?");
            values.add(timestamp(query.createdFrom()));
        }
        if (query.createdTo() != null) {
            sql.append(" AND created_at < ?");
            values.add(timestamp(query.createdTo()));
        }
        if (after != null) {
            sql.append(" AND (created_at, id) < (?, ?)");
            values.add(timestamp(after.createdAt()));
            values.add(after.id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        values.add(limit);
        return Jdbc.call(dataSource, "list the orders of " + dispensaryId, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < values.size(); i++) {
                    Object value = values.get(i);
                    if (value instanceof String[] array) {
                        statement.setArray(i + 1, connection.createArrayOf("text", array));
                    } else {
                        statement.setObject(i + 1, value);
                    }
                }
                List<CustomerOrder> orders = new ArrayList<>();
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        orders.add(readOrder(row));
                    }
                }
                return orders;
            }
        });
    }

    private static CustomerOrder readOrder(ResultSet row) throws SQLException {
        CustomerOrder order = new CustomerOrder();
        order.id = row.getLong(1);
        return read(row, 1, ORDER, order);
    }

    /** Every row {@code sql} finds for {@code orderId}, in its order. */
    private static <T> List<T> readAll(Connection connection, String sql, long orderId, RowMapper<T> map)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, orderId);
            List<T> rows = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    rows.add(map.map(row));
                }
            }
            return rows;
        }
    }

    private static <T> int bind(PreparedStatement statement, int before, List<Column<T>> columns, T source)
            throws SQLException {
        int i = before;
        for (Column<T> column : columns) {
            // Each placeholder carries its column's type, so a null needs none.
            statement.setObject(++i, column.value().apply(source));
        }
        return i;
    }

    /** Sets {@code target} from the row's columns after the first {@code before} (the id, where selected). */
    private static <T> T read(ResultSet row, int before, List<Column<T>> columns, T target) throws SQLException {
        int i = before;
        for (Column<T> column : columns) {
            column.read().read(target, row, ++i);
        }
        return target;
    }

    private static String names(List<? extends Column<?>> columns) {
        return columns.stream().map(Column::name).collect(Collectors.joining(", "));
    }

    /** One placeholder per column, cast to its type ({@code suffix} "[]" for the arrays of the lines). */
    private static String parameters(List<? extends Column<?>> columns, String suffix) {
        return columns.stream().map(c -> "?::" + c.type() + suffix).collect(Collectors.joining(", "));
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static OrderStatus status(String name) {
        return name == null ? null : OrderStatus.valueOf(name);
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet row, int index) throws SQLException {
        return row.getObject(index, OffsetDateTime.class).toInstant();
    }
}
