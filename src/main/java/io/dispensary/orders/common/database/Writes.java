package io.dispensary.orders.common.database;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Sends several stores' writes in one round trip, in the caller's transaction.
 *
 * <p>Why: the load tests found create-order's cost in its round trips (seven per create with an Idempotency-Key
 * against the stack's floor of one), each with its driver, pool and transaction-manager work on both sides. A create's order, event and
 * stored response need nothing back from each other, so they go as one multi-statement: the driver sends each
 * statement's Parse, Bind and Execute and then one Sync, and PostgreSQL runs them in order. The first that fails
 * skips the rest, and the transaction then rolls back as a whole, as it would statement by statement.
 */
@ApplicationScoped
public class Writes {

    private final DataSource dataSource;

    Writes(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void send(List<Write> writes) {
        String what = writes.stream().map(Write::what).collect(Collectors.joining(", "));
        String sql = writes.stream().map(Write::sql).collect(Collectors.joining(";\n"));
        int[] counts = Jdbc.call(dataSource, what, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int i = 0;
                for (Write write : writes) {
                    i = write.parameters().bind(connection, statement, i);
                }
                int[] counted = new int[writes.size()];
                boolean rows = statement.execute();
                for (int w = 0; w < counted.length; w++) {
                    if (rows) {
                        throw new IllegalStateException(writes.get(w).what() + " answered rows, not a count");
                    }
                    counted[w] = statement.getUpdateCount();
                    rows = statement.getMoreResults();
                }
                return counted;
            }
        });
        for (int w = 0; w < counts.length; w++) {
            writes.get(w).counted().accept(counts[w]);
        }
    }
}
