package io.dispensary.orders.common.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.testing.Database;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;

/**
 * pgJDBC puts a BEGIN before a transaction's first statement. From 42.7.6 to 42.7.12 it wrote that BEGIN as a
 * packet of its own: one more write, and one more wake-up of the backend, per create (loadtest/RESULTS.md, "What
 * the JVM's kernel time is made of"). The pom pins a driver that sends the two together; going back fails here.
 */
class DriverWritesTest {

    @Test
    void aTransactionsBeginLeavesInTheSameWriteAsItsFirstStatementAndItsCommitInOneMore() throws Exception {
        // Without TLS, so that a write of the driver is a write on the socket.
        String url = Database.URL + (Database.URL.contains("?") ? "&" : "?") + "sslmode=disable&socketFactory="
                + CountingSocketFactory.class.getName();
        try (Connection connection = Database.connect(url)) {
            AtomicInteger writes = CountingSocketFactory.last.writes;
            connection.setAutoCommit(false);
            // Three transactions: the first prepares on the server, the later ones reuse what it prepared.
            for (int transaction = 1; transaction <= 3; transaction++) {
                int before = writes.get();
                try (PreparedStatement statement = connection.prepareStatement("SELECT length(?)")) {
                    statement.setString(1, "order " + transaction);
                    try (ResultSet row = statement.executeQuery()) {
                        assertThat(row.next()).isTrue();
                    }
                }
                int afterStatement = writes.get();
                connection.commit();

                assertThat(afterStatement - before)
                        .as("writes for BEGIN and the first statement of transaction %d", transaction)
                        .isEqualTo(1);
                assertThat(writes.get() - afterStatement)
                        .as("writes for the COMMIT of transaction %d", transaction)
                        .isEqualTo(1);
            }
        }
    }

    /** The driver's sockets, each counting the writes the driver makes on it (one per packet it sends). */
    public static final class CountingSocketFactory extends SocketFactory {

        static volatile CountingSocket last;

        @Override
        public Socket createSocket() {
            last = new CountingSocket();
            return last;
        }

        // pgJDBC asks for an unconnected socket and connects it itself; SocketFactory makes these four abstract.
        @Override
        public Socket createSocket(String host, int port) {
            throw connected();
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) {
            throw connected();
        }

        @Override
        public Socket createSocket(InetAddress host, int port) {
            throw connected();
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort) {
            throw connected();
        }

        private static UnsupportedOperationException connected() {
            return new UnsupportedOperationException("pgJDBC creates unconnected sockets");
        }
    }

    static final class CountingSocket extends Socket {
        final AtomicInteger writes = new AtomicInteger();
        private OutputStream out;

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        writes.incrementAndGet();
                        this.out.write(bytes, offset, length);
                    }

                    @Override
                    public void write(int b) throws IOException {
                        writes.incrementAndGet();
                        this.out.write(b);
                    }
                };
            }
            return out;
        }
    }
}
