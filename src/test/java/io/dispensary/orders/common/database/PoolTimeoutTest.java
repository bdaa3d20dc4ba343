package io.dispensary.orders.common.database;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Which failures are "the database is at capacity" (a 503 with Retry-After, counted as shed) rather than a fault
 * (a 500). PoolExhaustionTest drives the Agroal case end to end; PgBouncer does not run in the tests, so its
 * case is the driver's own exception built from the error PgBouncer sends.
 */
class PoolTimeoutTest {

    @Test
    void agroalsAcquisitionTimeoutIsOverloadHoweverDeeplyItIsWrapped() {
        SQLException agroal = new SQLException("Sorry, acquisition timeout!");
        assertThat(PoolTimeout.in(agroal)).isTrue();
        assertThat(PoolTimeout.in(new PersistenceException(
                        new JDBCConnectionException("Unable to acquire JDBC Connection", agroal))))
                .isTrue();
    }

    @Test
    void pgBouncersQueryWaitTimeoutIsTheSameOverload() {
        // PgBouncer's ErrorResponse: severity ERROR, SQLSTATE 08P01, message "query_wait_timeout".
        PSQLException pgBouncer = new PSQLException(new ServerErrorMessage("SERROR\0C08P01\0Mquery_wait_timeout\0"));
        assertThat(pgBouncer.getMessage()).isEqualTo("ERROR: query_wait_timeout");
        assertThat(PoolTimeout.in(new PersistenceException(
                        new JDBCConnectionException("could not execute statement", pgBouncer))))
                .isTrue();
    }

    @Test
    void otherDatabaseErrorsAreNotMistakenForOverload() {
        PSQLException unique = new PSQLException(new ServerErrorMessage(
                "SERROR\0C23505\0Mduplicate key value violates unique constraint \"customer_order_pkey\"\0"));
        assertThat(PoolTimeout.in(new PersistenceException(unique))).isFalse();
        // A database error that merely quotes the words (here, a value a client sent) is not PgBouncer's.
        PSQLException quoting = new PSQLException(new ServerErrorMessage(
                "SERROR\0C22P02\0Minvalid input syntax for type integer: \"query_wait_timeout\"\0"));
        assertThat(PoolTimeout.in(quoting)).isFalse();
        assertThat(PoolTimeout.in(new IllegalStateException("acquisition timeout")))
                .isFalse();
        assertThat(PoolTimeout.in(new SQLException((String) null))).isFalse();
    }
}
