package io.dispensary.orders.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntUnaryOperator;

/**
 * A real webhook receiver on a loopback port: records every request it gets (headers, body, when) and answers as a
 * test tells it to: a status chosen per request, a hang until released, or nothing at all while it is down.
 */
public final class Receiver implements AutoCloseable {

    /** One request as it arrived, and the status it was answered with. */
    public record Received(String id, String timestamp, String signature, String body, Instant at, int status) {}

    private final int port;
    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, AtomicInteger> attemptsById = new ConcurrentHashMap<>();
    private volatile IntUnaryOperator status = n -> 204;
    private volatile CountDownLatch hang = new CountDownLatch(0);
    private volatile CountDownLatch held = new CountDownLatch(0);

    private Receiver(int port) {
        this.port = port;
    }

    /** Listening on a free port of 127.0.0.1. */
    public static Receiver start() throws IOException {
        Receiver receiver = new Receiver(0);
        receiver.listen(0);
        return receiver;
    }

    private void listen(int on) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", on), 100);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Answers the n-th request (0-based, counted over all ids) with this status. */
    public Receiver answering(IntUnaryOperator statusOfRequest) {
        this.status = statusOfRequest;
        return this;
    }

    /** Every request waits until {@link #release()} (or until the sender gives up). */
    public Receiver hanging() {
        hang = new CountDownLatch(1);
        return this;
    }

    public void release() {
        held.countDown();
        hang.countDown();
    }

    /**
     * New requests are answered at once again; those already hanging stay so until {@link #release()} or
     * {@link #close()}, as requests whose sender died would: they never count as received.
     */
    public Receiver stopHanging() {
        held = hang;
        hang = new CountDownLatch(0);
        return this;
    }

    /** Stops listening: connections are refused, as for a receiver that is down. */
    public void down() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    public void up() throws IOException {
        int same = server.getAddress().getPort();
        listen(same);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int n = requests.getAndIncrement();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            attemptsById
                    .computeIfAbsent(String.valueOf(id), k -> new AtomicInteger())
                    .incrementAndGet();
            if (!hang.await(30, TimeUnit.SECONDS)) {
                return;
            }
            int answer = status.applyAsInt(n);
            received.add(new Received(
                    id,
                    exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    exchange.getRequestHeaders().getFirst("webhook-signature"),
                    body,
                    Instant.now(),
                    answer));
            exchange.sendResponseHeaders(answer, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    /** Requests answered so far (those still hanging are not). */
    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** Requests that arrived, answered or not. */
    public int requests() {
        return requests.get();
    }

    /** Requests per webhook-id, answered or not. */
    public Map<String, Integer> attemptsById() {
        Map<String, Integer> copy = new java.util.TreeMap<>();
        attemptsById.forEach((id, count) -> copy.put(id, count.get()));
        return copy;
    }

    /** Waits until {@code condition} holds; fails after {@code timeout}. */
    public static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        held.countDown();
        hang.countDown();
        server.stop(0);
    }
}
