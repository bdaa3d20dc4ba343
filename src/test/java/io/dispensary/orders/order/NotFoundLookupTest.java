package io.dispensary.orders.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dispensary.orders.common.problem.ApiProblem;
import io.dispensary.orders.tenant.Caller;
import io.dispensary.orders.tenant.Role;
import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.OrderNumbers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Another dispensary's order and a number never issued must cost a storefront the same (security finding 4: 699
 * against 631 us, the foreign order read with its lines before its owner was checked). Timing is never asserted;
 * the work is: the scans PostgreSQL counts in the lookup's transaction (pg_stat_xact_user_tables) must be the
 * same for both, and neither may read the lines.
 */
@QuarkusTest
class NotFoundLookupTest {

    private static final Tenants TENANTS = Tenants.local();

    @Inject
    OrderService service;

    @Inject
    DataSource dataSource;

    @Test
    void anotherDispensarysOrderAndAnUnissuedNumberTakeTheSameScans() {
        String owner = TENANTS.newDispensary();
        String foreign = TENANTS.as(TENANTS.storefrontKey(owner))
                .contentType(ContentType.JSON)
                .body(OrderFixtures.pickup(owner))
                .post("/orders")
                .then()
                .statusCode(201)
                .extract()
                .path("orderNumber");
        String unissued = OrderNumbers.withCheckDigit("99999999");
        Caller storefront = new Caller("key_lookup_test", Role.STOREFRONT, TENANTS.newDispensary());

        Map<String, Long> foreignScans = scansOfA404(foreign, storefront);
        Map<String, Long> unissuedScans = scansOfA404(unissued, storefront);

        assertThat(foreignScans).as("scans of a foreign order's 404").isEqualTo(unissuedScans);
        assertThat(foreignScans.getOrDefault("order_line", 0L))
                .as("the lines of an order the caller may not see")
                .isZero();
    }

    /** The scans per table, in the transaction of one GET that answers 404. */
    private Map<String, Long> scansOfA404(String number, Caller caller) {
        Map<String, Long> delta = new TreeMap<>();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                Map<String, Long> before = scans();
                assertThatThrownBy(() -> service.get(number, caller))
                        .isInstanceOfSatisfying(
                                ApiProblem.class, p -> assertThat(p.status()).isEqualTo(404));
                scans().forEach((table, count) -> delta.put(table, count - before.getOrDefault(table, 0L)));
            });
        } catch (QuarkusTransactionException rolledBack) {
            // The 404 marked the transaction for rollback; it only read, and the counts were taken inside it.
        }
        assertThat(delta).as("scans counted for %s", number).isNotEmpty();
        return delta;
    }

    /** Sequential and index scans of the order tables so far in this transaction. */
    private Map<String, Long> scans() {
        Map<String, Long> scans = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT relname, coalesce(seq_scan, 0), coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables"
                                + " WHERE relname IN ('customer_order', 'order_line', 'order_transition')");
                ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                scans.put(row.getString(1), row.getLong(2) + row.getLong(3));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return scans;
    }
}
