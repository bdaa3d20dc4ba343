package io.dispensary.orders.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.order.OrderFixtures;
import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.Database;
import io.dispensary.orders.testing.Management;
import io.dispensary.orders.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Admission by queue wait: a request that waited longer than orders.admission.max-queue-wait for a worker thread
 * is answered 503 when it gets one, does nothing and can be retried; time the client itself takes to send its
 * body is not queueing.
 */
@QuarkusTest
@TestProfile(QueueWaitSheddingTest.FewWorkers.class)
class QueueWaitSheddingTest {

    private static final int WORKERS = 4;
    private static final long MAX_QUEUE_WAIT_MS = 300;
    private static final String SHED_QUEUED = "orders_shed_total{reason=\"queued\"}";

    /** Four workers, so four blocked creates hold them all; the in-flight limit is far away. */
    public static class FewWorkers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.thread-pool.max-threads",
                    String.valueOf(WORKERS),
                    "orders.admission.max-queue-wait",
                    MAX_QUEUE_WAIT_MS + "ms",
                    "orders.admission.max-in-flight",
                    "64",
                    // The creates are held on a table lock for as long as the test needs, not cut by the budget.
                    "orders.database.budget",
                    "30s");
        }
    }

    @Test
    void aRequestThatWaitsTooLongForAWorkerIsShedWhileTheWorkersAreStillBusyStoresNothingAndSucceedsWhenRetried()
            throws Exception {
        Tenants tenants = Tenants.local();
        String dispensary = tenants.newDispensary();
        String key = tenants.storefrontKey(dispensary);
        String body = OrderFixtures.pickup(dispensary);
        double shedBefore = Management.valueOrZero(Management.scrape(), SHED_QUEUED);

        ExecutorService clients = Executors.newFixedThreadPool(WORKERS + 1);
        List<Future<Response>> working = new ArrayList<>();
        Future<Response> queued;
        try (Connection locker = Database.outsidePool();
                Statement statement = locker.createStatement()) {
            // Creates now wait on this lock inside the service, each holding one of the four workers.
            locker.setAutoCommit(false);
            statement.execute("LOCK TABLE customer_order IN EXCLUSIVE MODE");
            for (int i = 0; i < WORKERS; i++) {
                String idempotencyKey = "working-" + dispensary + "-" + i;
                working.add(clients.submit(() -> tenants.as(key)
                        .contentType(ContentType.JSON)
                        .header("Idempotency-Key", idempotencyKey)
                        .body(body)
                        .post("/orders")));
            }
            awaitCreatesWaitingOnTheLock(WORKERS);

            // No worker is free: this one waits in the queue, longer than it may.
            queued = clients.submit(() -> tenants.as(key)
                    .contentType(ContentType.JSON)
                    .header("Idempotency-Key", "queued-" + dispensary)
                    .body(body)
                    .post("/orders"));
            // Answered at its limit, while every worker is still held: not only once one comes free.
            Response shedEarly = queued.get(10 * MAX_QUEUE_WAIT_MS, TimeUnit.MILLISECONDS);
            assertThat(working)
                    .as("the working requests still hold every worker")
                    .noneMatch(Future::isDone);
            assertThat(shedEarly.statusCode()).isEqualTo(503);
            locker.commit();
        } finally {
            clients.shutdown();
        }
        for (Future<Response> response : working) {
            assertThat(response.get(30, TimeUnit.SECONDS).statusCode())
                    .as("every working request finished normally")
                    .isEqualTo(201);
        }
        Response shed = queued.get(30, TimeUnit.SECONDS);
        assertThat(shed.statusCode()).isEqualTo(503);
        assertThat(shed.contentType()).startsWith("application/problem+json");
        assertThat(shed.header("Retry-After")).isEqualTo("1");
        assertThat(shed.<String>path("type")).isEqualTo("/problems/overloaded");
        assertThat(shed.<String>path("detail")).contains("more than its limit of 300 ms");

        assertThat(Database.count("SELECT count(*) FROM customer_order WHERE dispensary_id = ?", dispensary))
                .as("only the working orders were stored")
                .isEqualTo(WORKERS);
        assertThat(Database.count(
                        "SELECT count(*) FROM idempotency_record WHERE idempotency_key = ?", "queued-" + dispensary))
                .as("the shed request left no idempotency record")
                .isZero();
        Management.awaitValue(SHED_QUEUED, shedBefore + 1);
        // Loudly: the first shed of this instance is logged at once, with its reason and the setting to look at.
        assertThat(Files.readString(Path.of("target/quarkus-test.log")))
                .contains("1 waited more than 300 ms for a worker thread (orders.admission.max-queue-wait)");

        tenants.as(key)
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", "queued-" + dispensary)
                .body(body)
                .post("/orders")
                .then()
                .statusCode(201);
    }

    private static void awaitCreatesWaitingOnTheLock(int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long waiting;
        do {
            Thread.sleep(20);
            waiting = Database.count(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'" + " AND query ILIKE ?",
                    "%insert into customer_order%");
        } while (waiting < expected && System.nanoTime() < deadline);
        assertThat(waiting).as("creates waiting on the lock").isEqualTo(expected);
    }

    @Test
    void aClientThatSendsItsBodySlowlyIsNotTakenForAQueue() throws Exception {
        Tenants tenants = Tenants.local();
        String dispensary = tenants.newDispensary();
        String key = tenants.storefrontKey(dispensary);
        byte[] body = OrderFixtures.pickup(dispensary).getBytes(StandardCharsets.UTF_8);
        try (RawHttp http = RawHttp.connect()) {
            http.send("POST /orders HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + body.length
                    + "\r\n\r\n");
            http.send(body, 0, 10);
            // A slow mobile link: the rest of the body comes well after the queue-wait limit.
            Thread.sleep(2 * MAX_QUEUE_WAIT_MS);
            http.send(body, 10, body.length - 10);
            String response = new String(http.readAll(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 201");
        }
    }
}
