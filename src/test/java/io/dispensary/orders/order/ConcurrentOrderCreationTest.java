package io.dispensary.orders.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.tenant.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConcurrentOrderCreationTest {

    private static final int THREADS = 16;
    // 4,000 creates in all, 16 at once (the pool's size): enough to meet any race in the claim, the sequence or the
    // stores many times over; 8,000 took 150 s of bin/test on a slow host for no more coverage.
    private static final int ORDERS_PER_THREAD = 250;

    @Test
    void sixteenThreadsCreatingTwoHundredFiftyOrdersEachGetUniqueNumbersThatAllResolve() throws Exception {
        Tenants tenants = Tenants.local();
        String dispensary = tenants.newDispensary();
        String key = tenants.storefrontKey(dispensary);
        String body = OrderFixtures.pickup(dispensary);
        Set<String> numbers = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < ORDERS_PER_THREAD; i++) {
                        String number = tenants.as(key)
                                .contentType(ContentType.JSON)
                                .body(body)
                                .post("/orders")
                                .then()
                                .statusCode(201)
                                .extract()
                                .path("orderNumber");
                        if (!numbers.add(number)) {
                            synchronized (duplicates) {
                                duplicates.add(number);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(duplicates).isEmpty();
        assertThat(numbers).hasSize(THREADS * ORDERS_PER_THREAD);
        for (String number : numbers) {
            tenants.as(key).get("/orders/" + number).then().statusCode(200);
        }
    }
}
