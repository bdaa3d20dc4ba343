package io.dispensary.orders.floor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The floor of create-order: what the stack alone costs for the service's writes. It parses the body the
 * service's closed-loop load sends (loadtest/wrk/create-order.lua) into records, writes the rows the service
 * writes for it (a sequence value, the order, its lines, its first transition, the idempotency record with the
 * stored response, the order.created event and its fan-out) in one statement, and answers 201 with the order.
 *
 * <p>Everything the service does besides is left out on purpose, since it is the service's own code: the API key's
 * lookup, validation and the dispensary's rules, the FF1 number (this one is the sequence value, zero-padded as
 * pgbench's is), the idempotency claim, JTA, metrics and logs. Not a service: it checks nothing.
 */
@Path("/orders")
public class FloorResource {

    record Customer(String name, String phone, String email, LocalDate birthDate, String type) {}

    record Address(String line1, String line2, String city, String region, String postalCode) {}

    record Item(
            String sku,
            String name,
            String category,
            int quantity,
            long unitPriceCents,
            BigDecimal netWeightGrams,
            BigDecimal thcMg) {}

    record CreateOrder(
            String dispensaryId,
            Customer customer,
            String fulfillment,
            Address deliveryAddress,
            List<Item> items,
            boolean test) {}

    record Line(int lineNo, String sku, String name, String category, int quantity, long lineTotalCents) {}

    record Created(
            String orderNumber,
            String status,
            String dispensaryId,
            String fulfillment,
            Customer customer,
            Address deliveryAddress,
            List<Line> items,
            long totalCents,
            boolean test) {}

    /** The order number stands in the stored response as this, until the statement has drawn it. */
    private static final String UNNUMBERED = "\"orderNumber\":null";

    // The rows of pgbench's transaction (loadtest/sql/create-order.pgbench.sql), for the same key and
    // dispensary, in one data-modifying statement: one round trip, auto-commit.
    private static final String CREATE = """
            WITH o AS (
              INSERT INTO customer_order (order_number, test, sequence_value, number_digits, dispensary_id, status,
                                          fulfillment, customer_name, customer_phone, customer_email,
                                          customer_birth_date, customer_type, delivery_line1, delivery_line2,
                                          delivery_city, delivery_region, delivery_postal_code, total_cents,
                                          created_at, updated_at, version)
              SELECT lpad(s.n::text, 9, '0'), ?, s.n, 8, 'pgbench-dispensary', 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                     ?, ?, now(), now(), 0
              FROM (SELECT nextval('order_number_seq') AS n) s
              RETURNING id, order_number),
            l AS (
              INSERT INTO order_line (order_id, line_no, sku, name, category, quantity, unit_price_cents,
                                      net_weight_grams, thc_mg, line_total_cents)
              SELECT o.id, x.no, x.sku, x.name, x.category, x.quantity, x.price, x.weight, x.thc, x.quantity * x.price
              FROM o, unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::int[], ?::bigint[], ?::numeric[],
                             ?::numeric[]) WITH ORDINALITY AS x(sku, name, category, quantity, price, weight, thc, no)),
            t AS (
              INSERT INTO order_transition (order_id, from_status, to_status, reason, api_key_id, at)
              SELECT o.id, NULL, 'PENDING', NULL, 'key_pgbench', now() FROM o),
            i AS (
              INSERT INTO idempotency_record (api_key_id, idempotency_key, request_hash, response_status,
                                              response_body, order_number, created_at, expires_at)
              SELECT 'key_pgbench', ?, ?, 201, replace(?, '%1$s', '"orderNumber":"' || o.order_number || '"'),
                     o.order_number, now(), now() + interval '24 hours'
              FROM o),
            e AS (
              INSERT INTO order_event (id, type, dispensary_id, order_number, test, payload, occurred_at)
              SELECT ?, 'order.created', 'pgbench-dispensary', o.order_number, ?,
                     json_build_object('type', 'order.created', 'timestamp', now(), 'data',
                       json_build_object('orderNumber', o.order_number, 'dispensaryId', 'pgbench-dispensary',
                                         'status', 'PENDING', 'previousStatus', NULL, 'version', 0, 'test', ?))::text,
                     now()
              FROM o
              RETURNING id, seq, type, order_number, test),
            d AS (
              INSERT INTO webhook_delivery (subscription_id, event_id, event_seq, order_number, type, state,
                                            next_attempt_at, created_at, updated_at)
              SELECT s.id, e.id, e.seq, e.order_number, e.type, 'pending', now(), now(), now()
              FROM e JOIN webhook_subscription s ON s.dispensary_id = 'pgbench-dispensary' AND s.deleted_at IS NULL
               AND e.type = ANY (s.events) AND (s.include_test OR NOT e.test))
            SELECT order_number FROM o
            """.formatted(UNNUMBERED);

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    FloorResource(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(byte[] body, @HeaderParam("Idempotency-Key") String idempotencyKey)
            throws IOException, SQLException {
        CreateOrder order = json.readValue(body, CreateOrder.class);
        int n = order.items().size();
        String[] skus = new String[n], names = new String[n], categories = new String[n];
        Integer[] quantities = new Integer[n];
        Long[] prices = new Long[n];
        BigDecimal[] weights = new BigDecimal[n], thc = new BigDecimal[n];
        Line[] lines = new Line[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            Item item = order.items().get(i);
            skus[i] = item.sku();
            names[i] = item.name();
            categories[i] = item.category();
            quantities[i] = item.quantity();
            prices[i] = item.unitPriceCents();
            weights[i] = item.netWeightGrams();
            thc[i] = item.thcMg();
            long lineTotal = item.quantity() * item.unitPriceCents();
            lines[i] = new Line(i + 1, item.sku(), item.name(), item.category(), item.quantity(), lineTotal);
            total += lineTotal;
        }
        Address address = order.deliveryAddress();
        String unnumbered = json.writeValueAsString(new Created(
                null,
                "PENDING",
                order.dispensaryId(),
                order.fulfillment(),
                order.customer(),
                address,
                List.of(lines),
                total,
                order.test()));
        String number;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(CREATE)) {
            int p = 1;
            statement.setBoolean(p++, order.test());
            statement.setString(p++, order.fulfillment());
            statement.setString(p++, order.customer().name());
            statement.setString(p++, order.customer().phone());
            statement.setString(p++, order.customer().email());
            statement.setObject(p++, order.customer().birthDate());
            statement.setString(p++, order.customer().type());
            statement.setString(p++, address == null ? null : address.line1());
            statement.setString(p++, address == null ? null : address.line2());
            statement.setString(p++, address == null ? null : address.city());
            statement.setString(p++, address == null ? null : address.region());
            statement.setString(p++, address == null ? null : address.postalCode());
            statement.setLong(p++, total);
            statement.setArray(p++, connection.createArrayOf("varchar", skus));
            statement.setArray(p++, connection.createArrayOf("varchar", names));
            statement.setArray(p++, connection.createArrayOf("varchar", categories));
            statement.setArray(p++, connection.createArrayOf("int4", quantities));
            statement.setArray(p++, connection.createArrayOf("int8", prices));
            statement.setArray(p++, connection.createArrayOf("numeric", weights));
            statement.setArray(p++, connection.createArrayOf("numeric", thc));
            statement.setString(p++, idempotencyKey);
            statement.setString(p++, sha256(body));
            statement.setString(p++, unnumbered);
            statement.setString(p++, "evt_" + UUID.randomUUID().toString().replace("-", ""));
            statement.setBoolean(p++, order.test());
            statement.setBoolean(p++, order.test());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                number = row.getString(1);
            }
        }
        String created = unnumbered.replace(UNNUMBERED, "\"orderNumber\":\"" + number + "\"");
        return Response.status(201).entity(created).build();
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
