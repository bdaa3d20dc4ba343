package io.dispensary.orders.common.database;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a database that is away, or too slow for the request's budget, from a fault of the service. The first is
 * answered 503 with Retry-After and counted by cause, without a stack: the client retries with its Idempotency-Key
 * and nothing acknowledged is lost. Anything this does not recognise stays a 500 with its stack.
 *
 * <p>Pure: it reads only the exception chain (causes and suppressed exceptions, however deeply Hibernate, Narayana,
 * Agroal or our own code wrapped the driver's exception), so every failure class is unit-tested alone.
 */
public final class DatabaseFault {

    /**
     * Why the database could not serve the request; the values of the metric's {@code cause} tag. Declared from the
     * most specific to the most general: where a chain holds several, the first declared names it (a socket timeout
     * inside pgJDBC's "I/O error" is no answer, not merely a lost connection).
     */
    public enum Cause {
        /** The server said nothing within the budget: frozen, partitioned or swamped. */
        NO_ANSWER("no-answer", "PostgreSQL did not answer within the time budget"),
        /** A multi-host URL found only standbys: a failover is under way. */
        NO_PRIMARY("no-primary", "no primary server could be found"),
        /** A statement ran past statement_timeout. */
        STATEMENT_TIMEOUT("statement-timeout", "a statement ran past the time budget"),
        /** A lock wait ran past lock_timeout: someone holds a lock this request needs. */
        LOCK_TIMEOUT("lock-timeout", "a lock was held past the time budget"),
        /** The server is shutting down, starting up, or terminated the session (57P01-57P05). */
        SHUTDOWN("shutdown", "PostgreSQL is shutting down, starting up or ended the session"),
        /** max_connections is reached (53300). */
        TOO_MANY_CONNECTIONS("too-many-connections", "PostgreSQL has no connection slot left"),
        /** A write reached a read-only server: the primary was demoted (25006). */
        READ_ONLY("read-only", "the server is read-only (a demoted primary)"),
        /** Out of memory or disk on the server (class 53 but 53300). */
        INSUFFICIENT_RESOURCES("insufficient-resources", "PostgreSQL is out of resources"),
        /** Nothing listens where the JDBC URL points: PostgreSQL is stopped or restarting. */
        CONNECTION_REFUSED("connection-refused", "PostgreSQL refused the connection"),
        /** The connection broke mid-request: reset, closed, or ended under us. */
        CONNECTION_LOST("connection-lost", "the connection to PostgreSQL was lost");

        private final String tag;
        private final String description;

        Cause(String tag, String description) {
            this.tag = tag;
            this.description = description;
        }

        /** The value of the {@code cause} tag, e.g. {@code connection-refused}. */
        public String tag() {
            return tag;
        }

        /** Words for a log line or a problem's detail. */
        public String description() {
            return description;
        }
    }

    private DatabaseFault() {}

    /** The cause, if this failure means the database is away or over the budget; empty for anything else. */
    public static Optional<Cause> classify(Throwable failure) {
        Cause found = null;
        for (Throwable each : chain(failure)) {
            Cause cause = ofOne(each);
            if (cause != null && (found == null || cause.ordinal() < found.ordinal())) {
                found = cause;
            }
        }
        return Optional.ofNullable(found);
    }

    private static Cause ofOne(Throwable each) {
        if (each instanceof SocketTimeoutException) {
            return Cause.NO_ANSWER;
        }
        if (each instanceof ConnectException) {
            return Cause.CONNECTION_REFUSED;
        }
        if (each instanceof SocketException || each instanceof java.io.EOFException) {
            return Cause.CONNECTION_LOST;
        }
        if (each instanceof SQLException sql && sql.getSQLState() != null) {
            return ofState(sql.getSQLState(), sql.getMessage());
        }
        return null;
    }

    /** By SQLSTATE (PostgreSQL's Appendix A), with pgJDBC's own client-side states. */
    static Cause ofState(String state, String message) {
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (state.equals("08001") && text.contains("targetservertype")) {
            return Cause.NO_PRIMARY;
        }
        if (state.equals("08001") || state.equals("08004")) {
            // pgJDBC: "Connection to host:port refused" (08001); the server rejected the connection (08004).
            return text.contains("refused") ? Cause.CONNECTION_REFUSED : Cause.CONNECTION_LOST;
        }
        if (state.equals("08P01") && text.endsWith("query_wait_timeout")) {
            // PgBouncer's own wait for a server connection: that is the pool, answered as overload elsewhere.
            return null;
        }
        if (state.startsWith("08")) {
            return Cause.CONNECTION_LOST;
        }
        if (state.startsWith("57P")) {
            return Cause.SHUTDOWN;
        }
        return switch (state) {
            case "57014" -> Cause.STATEMENT_TIMEOUT;
            case "55P03" -> Cause.LOCK_TIMEOUT;
            case "53300" -> Cause.TOO_MANY_CONNECTIONS;
            case "25006" -> Cause.READ_ONLY;
            case "53000", "53100", "53200", "53400" -> Cause.INSUFFICIENT_RESOURCES;
            default -> null;
        };
    }

    /**
     * The driver's or the server's own words, without a stack: "Connection to localhost:5432 refused ...", "ERROR:
     * canceling statement due to statement timeout". The deepest SQLException of the chain speaks; Narayana's
     * "Could not commit transaction" only when there is none.
     */
    public static String message(Throwable failure) {
        String message = null;
        for (Throwable each : chain(failure)) {
            if (each instanceof SQLException && each.getMessage() != null) {
                message = each.getMessage();
            }
        }
        if (message == null && failure != null) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            message = root.getMessage() != null
                    ? root.getMessage()
                    : root.getClass().getSimpleName();
        }
        return message == null ? "no message" : message.lines().findFirst().orElse("");
    }

    /** Every exception reachable through causes, suppressed ones and SQLException's next-exception chain. */
    private static Iterable<Throwable> chain(Throwable failure) {
        // Insertion order: from the outermost wrapper to the driver's own exception.
        Set<Throwable> seen = Collections.newSetFromMap(new java.util.LinkedHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>();
        if (failure != null) {
            todo.add(failure);
        }
        while (!todo.isEmpty() && seen.size() < 64) {
            Throwable each = todo.poll();
            if (!seen.add(each)) {
                continue;
            }
            if (each.getCause() != null) {
                todo.add(each.getCause());
            }
            Collections.addAll(todo, each.getSuppressed());
            if (each instanceof SQLException sql && sql.getNextException() != null) {
                todo.add(sql.getNextException());
            }
        }
        return seen;
    }
}
