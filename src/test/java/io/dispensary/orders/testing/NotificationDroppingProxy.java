package io.dispensary.orders.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;

/**
 * A TCP proxy in front of the test PostgreSQL that can turn deaf: it then drops every NotificationResponse
 * ('A') the server sends and passes everything else, as a pooler in transaction mode does (LISTEN succeeds,
 * queries answer, notifications never come). Its URL asks for no SSL or GSS encryption, so every server byte is
 * a plain protocol message.
 */
public final class NotificationDroppingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String host;
    private final int port;
    private volatile boolean deaf;

    public NotificationDroppingProxy() throws IOException {
        URI target = URI.create(Database.URL.substring("jdbc:".length()));
        this.host = target.getHost();
        this.port = target.getPort() < 0 ? 5432 : target.getPort();
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "deaf-proxy-accept");
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

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(host, port);
                start(() -> copy(client, upstream));
                start(() -> filter(upstream, client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void start(Runnable pump) {
        Thread thread = new Thread(pump, "deaf-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void copy(Socket from, Socket to) {
        try (from;
                to) {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // One side closed: so does the other.
        }
    }

    /** Server to client, message by message: a type byte, then a length that counts itself. */
    private void filter(Socket from, Socket to) {
        try (from;
                to) {
            DataInputStream in = new DataInputStream(from.getInputStream());
            OutputStream out = to.getOutputStream();
            while (true) {
                int type = in.read();
                if (type < 0) {
                    return;
                }
                int length = in.readInt();
                byte[] body = in.readNBytes(length - 4);
                if (type == 'A' && deaf) {
                    continue;
                }
                out.write(type);
                out.write(
                        new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length
                        });
                out.write(body);
                if (in.available() == 0) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            // One side closed: so does the other.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
