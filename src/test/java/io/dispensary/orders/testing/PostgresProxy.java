package io.dispensary.orders.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of the test PostgreSQL that reads the wire protocol both ways. It can turn deaf: it then
 * drops every NotificationResponse ('A') the server sends and passes everything else, as a pooler in transaction
 * mode does (LISTEN succeeds, queries answer, notifications never come). And it records every transaction that
 * went through it as its round trips, each the statements the client sent before its Sync, so a test can count
 * what a request costs. Its URL asks for no SSL or GSS encryption, so every byte is a plain protocol message.
 */
public final class PostgresProxy implements AutoCloseable {

    /** One Sync's worth of statements, in the order they ran. */
    public record RoundTrip(List<String> statements) {
        public boolean mentions(String text) {
            return statements.stream().anyMatch(statement -> statement.contains(text));
        }
    }

    /** A transaction from its BEGIN to its COMMIT or ROLLBACK, one round trip after another. */
    public record Transaction(List<RoundTrip> roundTrips) {
        public boolean mentions(String text) {
            return roundTrips.stream().anyMatch(roundTrip -> roundTrip.mentions(text));
        }
    }

    private final ServerSocket server;
    private final String host;
    private final int port;
    private final List<Transaction> transactions = new CopyOnWriteArrayList<>();
    private volatile boolean deaf;

    /** A proxy already accepting, for a test class's static field. */
    public static PostgresProxy start() {
        try {
            return new PostgresProxy();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public PostgresProxy() throws IOException {
        URI target = URI.create(Database.URL.substring("jdbc:".length()));
        this.host = target.getHost();
        this.port = target.getPort() < 0 ? 5432 : target.getPort();
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "postgres-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The test database's URL through this proxy. */
    public String jdbcUrl() {
        String database = URI.create(Database.URL.substring("jdbc:".length())).getPath();
        return "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + database
                + "?sslmode=disable&gssEncMode=disable";
    }

    public void deaf(boolean deaf) {
        this.deaf = deaf;
    }

    /** Every transaction that has ended so far, in the order they ended. */
    public List<Transaction> transactions() {
        return List.copyOf(transactions);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(host, port);
                Conversation conversation = new Conversation();
                start(() -> record(client, upstream, conversation));
                start(() -> filter(upstream, client, conversation));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void start(Runnable pump) {
        Thread thread = new Thread(pump, "postgres-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * One connection's statements as both directions see them. A round trip ends where the client waits: the
     * server has answered every Sync and simple Query sent so far, and the client sent nothing after the last. A
     * Query that is followed at once by more is not a wait: pgJDBC sends a transaction's BEGIN as a Query in the
     * same write as its first statement.
     */
    private final class Conversation {
        private final Map<String, String> parsed = new HashMap<>();
        private final List<String> running = new ArrayList<>();
        private List<RoundTrip> transaction;
        private int asked;
        private int answered;
        private int sentSinceAsked;

        synchronized void sent(int type, byte[] body) {
            switch (type) {
                case 'P' -> {
                    String[] nameAndText = cStrings(body, 2);
                    parsed.put(nameAndText[0], nameAndText[1]);
                }
                case 'B' -> running.add(parsed.getOrDefault(cStrings(body, 2)[1], "?"));
                case 'Q' -> running.add(cStrings(body, 1)[0]);
                default -> {}
            }
            if (type == 'S' || type == 'Q') {
                asked++;
                sentSinceAsked = 0;
            } else {
                sentSinceAsked++;
            }
        }

        synchronized void readyForQuery() {
            answered++;
            if (answered < asked || sentSinceAsked > 0 || running.isEmpty()) {
                return;
            }
            RoundTrip roundTrip = new RoundTrip(List.copyOf(running));
            running.clear();
            if (roundTrip.statements().get(0).strip().equalsIgnoreCase("BEGIN")) {
                transaction = new ArrayList<>();
            }
            if (transaction != null) {
                transaction.add(roundTrip);
                if (roundTrip.mentions("COMMIT") || roundTrip.mentions("ROLLBACK")) {
                    transactions.add(new Transaction(List.copyOf(transaction)));
                    transaction = null;
                }
            }
        }
    }

    /**
     * Client to server, as they come. A Parse names a statement's text; a Bind runs a parsed statement, named
     * (prepared earlier on this connection) or not. Each is counted before it is passed on, so its answer cannot
     * come back first.
     */
    private void record(Socket from, Socket to, Conversation conversation) {
        pump(from, to, true, (type, body) -> {
            conversation.sent(type, body);
            return true;
        });
    }

    /** Server to client: a deaf proxy drops notifications. */
    private void filter(Socket from, Socket to, Conversation conversation) {
        pump(from, to, false, (type, body) -> {
            if (type == 'A' && deaf) {
                return false;
            }
            if (type == 'Z') {
                // Before it is passed on: the client may send its next round trip as soon as it has this.
                conversation.readyForQuery();
            }
            return true;
        });
    }

    @FunctionalInterface
    private interface Handler {
        /** Answers whether to pass the message on. */
        boolean pass(int type, byte[] body);
    }

    /** Message by message, each a type byte and then a length that counts itself, until either side closes. */
    private static void pump(Socket from, Socket to, boolean startsWithStartup, Handler handler) {
        try (from;
                to) {
            DataInputStream in = new DataInputStream(from.getInputStream());
            OutputStream out = to.getOutputStream();
            if (startsWithStartup) {
                // The startup message has a length and no type byte.
                int startupLength = in.readInt();
                byte[] startup = in.readNBytes(startupLength - 4);
                writeInt(out, startupLength);
                out.write(startup);
                out.flush();
            }
            while (true) {
                int type = in.read();
                if (type < 0) {
                    return;
                }
                int length = in.readInt();
                byte[] body = in.readNBytes(length - 4);
                if (handler.pass(type, body)) {
                    out.write(type);
                    writeInt(out, length);
                    out.write(body);
                }
                if (in.available() == 0) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            // One side closed: so does the other.
        }
    }

    private static void writeInt(OutputStream out, int value) throws IOException {
        out.write(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    /** The first {@code n} NUL-terminated strings of a message body. */
    private static String[] cStrings(byte[] body, int n) {
        String[] strings = new String[n];
        int start = 0;
        for (int s = 0; s < n; s++) {
            int end = start;
            while (body[end] != 0) {
                end++;
            }
            strings[s] = new String(body, start, end - start, StandardCharsets.UTF_8);
            start = end + 1;
        }
        return strings;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
