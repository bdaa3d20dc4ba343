package io.dispensary.orders.loadtest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real webhook receiver on loopback for the webhooks step: answers 204 (after a delay that can be changed while
 * it runs) and records, per webhook-id, when the delivery first arrived and when its event happened (the body's
 * {@code timestamp}), so the delivery lag is arrival minus event time, both on this machine's clock.
 *
 * <p>The delay is re-read while a request waits, so a receiver that was stalling (holding each delivery for a few
 * seconds, under the service's 5 s request timeout, so nothing fails) answers at once when it is told to.
 */
final class WebhookReceiver implements AutoCloseable {

    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ORDER_NUMBER = Pattern.compile("\"orderNumber\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]+)\"");

    /** One event as it first arrived. */
    record Arrival(String webhookId, String type, String orderNumber, Instant eventAt, Instant arrivedAt) {

        double lagMs() {
            return java.time.Duration.between(eventAt, arrivedAt).toNanos() / 1e6;
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(32, task -> {
        Thread thread = new Thread(task, "webhook-receiver");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Arrival> arrivals = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private volatile long delayMs;

    WebhookReceiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** From now on (and for the requests waiting now), answer this long after each request arrived. */
    void delay(long millis) {
        delayMs = millis;
    }

    private void handle(HttpExchange exchange) throws IOException {
        Instant arrived = Instant.now();
        long arrivedNanos = System.nanoTime();
        requests.incrementAndGet();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        Matcher timestamp = TIMESTAMP.matcher(body);
        Matcher number = ORDER_NUMBER.matcher(body);
        Matcher type = TYPE.matcher(body);
        if (id == null || !timestamp.find() || !number.find() || !type.find()) {
            malformed.incrementAndGet();
        } else {
            Arrival arrival = new Arrival(id, type.group(1), number.group(1), Instant.parse(timestamp.group(1)),
                    arrived);
            if (arrivals.putIfAbsent(id, arrival) != null) {
                duplicates.incrementAndGet();
            }
        }
        try {
            while (System.nanoTime() - arrivedNanos < delayMs * 1_000_000) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    List<Arrival> arrivals() {
        return List.copyOf(arrivals.values());
    }

    long requests() {
        return requests.get();
    }

    /** Deliveries of a webhook-id that had arrived before: at-least-once allows them, the normal case has none. */
    long duplicates() {
        return duplicates.get();
    }

    long malformed() {
        return malformed.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
