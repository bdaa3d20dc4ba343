package io.dispensary.orders.common.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.common.database.DatabaseFault.Cause;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** Which failures mean "the database is away or over budget", read from the exception chain alone. */
class DatabaseFaultTest {

    @Test
    void aRefusedConnectionAsPgJdbcReportsItIsConnectionRefused() {
        SQLException refused = new PSQLException(
                "Connection to 127.0.0.1:5432 refused.",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT,
                new ConnectException("Connection refused"));
        assertThat(DatabaseFault.classify(refused)).contains(Cause.CONNECTION_REFUSED);
    }

    @Test
    void aSilentServerBehindPgJdbcsIoErrorIsNoAnswerNotALostConnection() {
        SQLException io = new PSQLException(
                "An I/O error occurred while sending to the backend.",
                PSQLState.CONNECTION_FAILURE,
                new SocketTimeoutException("Read timed out"));
        assertThat(DatabaseFault.classify(new IllegalStateException("could not claim", io)))
                .contains(Cause.NO_ANSWER);
    }

    @Test
    void aResetOrClosedConnectionIsConnectionLost() {
        assertThat(DatabaseFault.classify(new PSQLException(
                        "An I/O error occurred while sending to the backend.",
                        PSQLState.CONNECTION_FAILURE,
                        new SocketException("Connection reset"))))
                .contains(Cause.CONNECTION_LOST);
        assertThat(DatabaseFault.classify(new EOFException())).contains(Cause.CONNECTION_LOST);
        assertThat(DatabaseFault.classify(new SQLException("This connection has been closed.", "08003")))
                .contains(Cause.CONNECTION_LOST);
    }

    @Test
    void everyConnectionExceptionStateIsConnectionLost() {
        for (String state : new String[] {"08000", "08003", "08006", "08007"}) {
            assertThat(DatabaseFault.classify(new SQLException("x", state)))
                    .as(state)
                    .contains(Cause.CONNECTION_LOST);
        }
    }

    @Test
    void aMultiHostUrlThatFindsNoPrimaryIsNoPrimary() {
        SQLException none = new PSQLException(
                "Could not find a server with specified targetServerType: primary",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT);
        assertThat(DatabaseFault.classify(none)).contains(Cause.NO_PRIMARY);
    }

    @Test
    void operatorInterventionStatesAreShutdown() {
        for (String state : new String[] {"57P01", "57P02", "57P03", "57P04", "57P05"}) {
            assertThat(DatabaseFault.classify(new SQLException("terminating connection", state)))
                    .as(state)
                    .contains(Cause.SHUTDOWN);
        }
    }

    @Test
    void theServersOwnStatesNameTheirCause() {
        assertThat(DatabaseFault.classify(new SQLException("canceling statement due to statement timeout", "57014")))
                .contains(Cause.STATEMENT_TIMEOUT);
        assertThat(DatabaseFault.classify(new SQLException("canceling statement due to lock timeout", "55P03")))
                .contains(Cause.LOCK_TIMEOUT);
        assertThat(DatabaseFault.classify(new SQLException("sorry, too many clients already", "53300")))
                .contains(Cause.TOO_MANY_CONNECTIONS);
        assertThat(DatabaseFault.classify(
                        new SQLException("cannot execute INSERT in a read-only transaction", "25006")))
                .contains(Cause.READ_ONLY);
        assertThat(DatabaseFault.classify(new SQLException("could not extend file: No space left", "53100")))
                .contains(Cause.INSUFFICIENT_RESOURCES);
    }

    @Test
    void aCauseIsFoundHoweverDeeplyHibernateOrTheTransactionManagerWrappedIt() {
        SQLException terminated = new SQLException("terminating connection due to administrator command", "57P01");
        JDBCConnectionException hibernate = new JDBCConnectionException("could not execute query", terminated);
        assertThat(DatabaseFault.classify(new jakarta.persistence.PersistenceException(hibernate)))
                .contains(Cause.SHUTDOWN);

        // Narayana reports a failed commit as a RollbackException and keeps the driver's exception as suppressed.
        jakarta.transaction.RollbackException rollback =
                new jakarta.transaction.RollbackException("ARJUNA016053: Could not commit transaction.");
        rollback.addSuppressed(new SQLException("no space left for WAL", "53100"));
        assertThat(DatabaseFault.classify(new RuntimeException(rollback))).contains(Cause.INSUFFICIENT_RESOURCES);

        SQLException batch = new SQLException("Batch entry 0 was aborted", "08006");
        batch.setNextException(new SQLException("canceling statement due to lock timeout", "55P03"));
        assertThat(DatabaseFault.classify(batch)).contains(Cause.LOCK_TIMEOUT);
    }

    @Test
    void pgBouncersOwnWaitTimeoutIsThePoolNotTheDatabase() {
        assertThat(DatabaseFault.classify(new SQLException("ERROR: query_wait_timeout", "08P01")))
                .isEmpty();
    }

    @Test
    void whatIsNotTheDatabaseBeingAwayStaysUnclassified() {
        assertThat(DatabaseFault.classify(new SQLException("duplicate key value", "23505")))
                .isEmpty();
        assertThat(DatabaseFault.classify(new SQLException("deadlock detected", "40P01")))
                .isEmpty();
        assertThat(DatabaseFault.classify(new SQLException("no state"))).isEmpty();
        assertThat(DatabaseFault.classify(new IllegalStateException("a bug"))).isEmpty();
        assertThat(DatabaseFault.classify(null)).isEmpty();
    }

    @Test
    void aCycleInTheChainEnds() {
        SQLException first = new SQLException("first", "XX000");
        SQLException second = new SQLException("second", "XX000", first);
        first.initCause(second);
        assertThat(DatabaseFault.classify(first)).isEmpty();
    }

    @Test
    void theMessageIsTheDriversOwnWordsNotTheWrappers() {
        SQLException refused = new PSQLException(
                "Connection to 127.0.0.1:5432 refused.",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT,
                new ConnectException("Connection refused"));
        assertThat(DatabaseFault.message(new IllegalStateException("could not look up the API key", refused)))
                .isEqualTo("Connection to 127.0.0.1:5432 refused.");
        assertThat(DatabaseFault.message(new IllegalStateException("just this")))
                .isEqualTo("just this");
    }
}
