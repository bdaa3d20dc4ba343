package io.dispensary.orders.loadtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay between a service and PostgreSQL that counts database round trips: every time a client speaks
 * again after the server answered, that is one round trip (a pipelined burst or a JDBC batch counts once, as it
 * costs one wait). Connecting to the control port answers the count so far, so a benchmark can take the
 * difference over N orders. Only for counting: the relay adds latency, so latencies are measured elsewhere.
 *
 * <p>{@code java ... RoundTripProxy --listen=15433 --control=15434 --target-port=5432 --max-seconds=900}
 */
public final class RoundTripProxy {

    private static final AtomicLong ROUND_TRIPS = new AtomicLong();

    private RoundTripProxy() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int targetPort = args.getInt("target-port", 5432);
        ServerSocket listen = new ServerSocket(args.getInt("listen", 15433), 100, loopback);
        ServerSocket control = new ServerSocket(args.getInt("control", 15434), 10, loopback);
        // Bounded: the proxy ends by itself even if nobody stops it.
        long maxSeconds = args.getInt("max-seconds", 900);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(maxSeconds * 1000);
            } catch (InterruptedException ignored) {
                // exit anyway
            }
            System.exit(0);
        });
        watchdog.setDaemon(true);
        watchdog.start();
        Thread controlThread = new Thread(() -> {
            while (true) {
                try (Socket client = control.accept();
                        PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.US_ASCII)) {
                    out.println(ROUND_TRIPS.get());
                } catch (IOException e) {
                    return;
                }
            }
        }, "control");
        controlThread.setDaemon(true);
        controlThread.start();
        System.out.println("round-trip proxy listening on " + listen.getLocalPort() + ", control " + control.getLocalPort());
        while (true) {
            Socket client = listen.accept();
            Socket server = new Socket(loopback, targetPort);
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            AtomicBoolean serverSpokeLast = new AtomicBoolean(true);
            pump(client, server, serverSpokeLast, true);
            pump(server, client, serverSpokeLast, false);
        }
    }

    /** Reads the current count from a running proxy's control port. */
    static long read(int controlPort) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), controlPort)) {
            String line = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return Long.parseLong(line);
        }
    }

    private static void pump(Socket from, Socket to, AtomicBoolean serverSpokeLast, boolean clientToServer) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (clientToServer) {
                        if (serverSpokeLast.compareAndSet(true, false)) {
                            ROUND_TRIPS.incrementAndGet();
                        }
                    } else {
                        serverSpokeLast.set(true);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // the other side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }, clientToServer ? "c2s" : "s2c");
        thread.setDaemon(true);
        thread.start();
    }
}
