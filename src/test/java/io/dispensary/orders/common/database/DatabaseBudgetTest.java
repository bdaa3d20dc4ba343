package io.dispensary.orders.common.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/** Every pooled connection carries the request budget, in PostgreSQL and in the driver, before anyone uses it. */
@QuarkusTest
class DatabaseBudgetTest {

    @Inject
    DataSource dataSource;

    @Test
    void aPooledConnectionHasTheBudgetsStatementAndLockTimeoutsAndNetworkTimeout() throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            assertThat(show(statement, "statement_timeout")).isEqualTo("800ms");
            assertThat(show(statement, "lock_timeout")).isEqualTo("700ms");
            assertThat(((Connection) connection.unwrap(PGConnection.class)).getNetworkTimeout())
                    .isEqualTo(1000);
        }
    }

    private static String show(Statement statement, String setting) throws Exception {
        try (ResultSet row = statement.executeQuery("SHOW " + setting)) {
            row.next();
            return row.getString(1);
        }
    }
}
