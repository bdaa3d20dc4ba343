package io.dispensary.orders.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.dispensary.orders.tenant.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /orders: filters, limits, cursors and who may list what. */
@QuarkusTest
class OrderListingTest {

    private static final Tenants TENANTS = Tenants.local();
    private static final String PROBLEM_JSON = "application/problem+json";

    private static final int PAGED_ORDERS = 250;
    /** Not a divisor of 250, so the last page is a short one. */
    private static final int PAGE_SIZE = 7;
    /** More than the largest page, so both the default and the maximum limit leave a next page. */
    private static final int BUSY_ORDERS = 101;

    private static final long SEED = 20261126L;

    /** A dispensary with BUSY_ORDERS orders, made once: the limit and cursor tests only read it. */
    private static String busyDispensary;

    private static String busyStorefront;
    private static String internal;

    @BeforeEach
    void setUpTheBusyDispensaryOnce() {
        if (busyDispensary == null) {
            busyDispensary = TENANTS.newDispensary();
            busyStorefront = TENANTS.storefrontKey(busyDispensary);
            internal = TENANTS.internalKey();
            for (int i = 0; i < BUSY_ORDERS; i++) {
                TENANTS.createOrder(busyStorefront, OrderFixtures.pickup(busyDispensary));
            }
        }
    }

    @Test
    void pagingThrough250OrdersWhileAnotherThreadInsertsReturnsEachOfThe250ExactlyOnce() throws Exception {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        Set<String> existing = new HashSet<>();
        for (int i = 0; i < PAGED_ORDERS; i++) {
            existing.add(TENANTS.createOrder(key, OrderFixtures.pickup(dispensary)));
        }

        Set<String> insertedMeanwhile = ConcurrentHashMap.newKeySet();
        AtomicInteger inserted = new AtomicInteger();
        AtomicBoolean walking = new AtomicBoolean(true);
        ExecutorService inserter = Executors.newSingleThreadExecutor();
        List<String> seen = new ArrayList<>();
        List<Instant> seenCreatedAt = new ArrayList<>();
        int pages = 0;
        try {
            Future<?> insertions = inserter.submit(() -> {
                while (walking.get()) {
                    insertedMeanwhile.add(TENANTS.createOrder(key, OrderFixtures.pickup(dispensary)));
                    inserted.incrementAndGet();
                }
                return null;
            });
            // Some new orders are on the first page already, ahead of the 250.
            awaitMoreThan(inserted, 0, insertions);
            String cursor = null;
            do {
                JsonPath page = list(
                                key,
                                cursor == null
                                        ? Map.of("limit", PAGE_SIZE)
                                        : Map.of("limit", PAGE_SIZE, "cursor", cursor))
                        .extract()
                        .jsonPath();
                pages++;
                seen.addAll(page.getList("items.orderNumber", String.class));
                page.getList("items.createdAt", String.class).forEach(at -> seenCreatedAt.add(Instant.parse(at)));
                cursor = page.getString("nextCursor");
                // At least one insert commits between any two page reads, so every page boundary is crossed by one.
                awaitMoreThan(inserted, inserted.get(), insertions);
            } while (cursor != null);
            walking.set(false);
            insertions.get(30, TimeUnit.SECONDS);
        } finally {
            walking.set(false);
            inserter.shutdown();
        }

        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsAll(existing);
        Set<String> unexpected = new HashSet<>(seen);
        unexpected.removeAll(existing);
        unexpected.removeAll(insertedMeanwhile);
        assertThat(unexpected).as("orders of nobody's making").isEmpty();
        assertThat(inserted.get()).as("inserts during the walk").isGreaterThanOrEqualTo(pages);
        List<Instant> newestFirst = new ArrayList<>(seenCreatedAt);
        newestFirst.sort(Collections.reverseOrder());
        assertThat(seenCreatedAt).as("the walk goes newest first across pages").isEqualTo(newestFirst);
    }

    @Test
    void listsNewestFirstWithinAndAcrossPages() {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(TENANTS.createOrder(key, OrderFixtures.pickup(dispensary)));
        }
        List<String> newestFirst = new ArrayList<>(created);
        Collections.reverse(newestFirst);

        JsonPath all = list(key, Map.of()).extract().jsonPath();
        assertThat(all.getList("items.orderNumber", String.class)).isEqualTo(newestFirst);
        assertThat(all.getString("nextCursor")).isNull();
        List<Instant> createdAt = all.getList("items.createdAt", String.class).stream()
                .map(Instant::parse)
                .toList();
        for (int i = 1; i < createdAt.size(); i++) {
            assertThat(createdAt.get(i)).isBefore(createdAt.get(i - 1));
        }

        // Pages of two: [5, 4], [3, 2], [1], and the last one says there is no more.
        List<String> walked = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = list(key, cursor == null ? Map.of("limit", 2) : Map.of("limit", 2, "cursor", cursor))
                    .extract()
                    .jsonPath();
            walked.addAll(page.getList("items.orderNumber", String.class));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(walked).isEqualTo(newestFirst);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void aPageExactlyAsLongAsTheLimitHasNoNextCursorWhenNothingFollows() {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        for (int i = 0; i < 3; i++) {
            TENANTS.createOrder(key, OrderFixtures.pickup(dispensary));
        }
        list(key, Map.of("limit", 3)).body("items", hasSize(3)).body("nextCursor", nullValue());
    }

    @Test
    void filtersByOneOrSeveralStatuses() {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            orders.add(TENANTS.createOrder(key, OrderFixtures.pickup(dispensary)));
        }
        Set<String> confirmed = Set.of(orders.get(1), orders.get(4));
        Set<String> rejected = Set.of(orders.get(2));
        confirmed.forEach(number -> TENANTS.moveOrder(key, number, "CONFIRMED"));
        rejected.forEach(number -> TENANTS.moveOrder(key, number, "REJECTED"));
        Set<String> pending = new HashSet<>(orders);
        pending.removeAll(confirmed);
        pending.removeAll(rejected);

        assertThat(numbers(list(key, Map.of("status", "CONFIRMED")))).containsExactlyInAnyOrderElementsOf(confirmed);
        assertThat(numbers(list(key, Map.of("status", "PENDING")))).containsExactlyInAnyOrderElementsOf(pending);
        Set<String> confirmedOrRejected = new HashSet<>(confirmed);
        confirmedOrRejected.addAll(rejected);
        assertThat(numbers(TENANTS.as(key)
                        .queryParam("status", "CONFIRMED", "REJECTED")
                        .get("/orders")
                        .then()
                        .statusCode(200)))
                .containsExactlyInAnyOrderElementsOf(confirmedOrRejected);
        assertThat(numbers(list(key, Map.of("status", "COMPLETED")))).isEmpty();
        assertThat(numbers(list(key, Map.of()))).containsExactlyInAnyOrderElementsOf(orders);
    }

    @Test
    void filtersByFulfillmentAloneAndWithAStatus() {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        Set<String> pickups = new HashSet<>();
        Set<String> deliveries = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            pickups.add(TENANTS.createOrder(key, OrderFixtures.pickup(dispensary)));
            deliveries.add(TENANTS.createOrder(key, OrderFixtures.delivery(dispensary)));
        }
        String confirmedDelivery = deliveries.iterator().next();
        TENANTS.moveOrder(key, confirmedDelivery, "CONFIRMED");

        assertThat(numbers(list(key, Map.of("fulfillment", "DELIVERY"))
                        .body("items.fulfillment", everyItem(equalTo("DELIVERY")))))
                .containsExactlyInAnyOrderElementsOf(deliveries);
        assertThat(numbers(list(key, Map.of("fulfillment", "PICKUP")))).containsExactlyInAnyOrderElementsOf(pickups);
        assertThat(numbers(list(key, Map.of("fulfillment", "DELIVERY", "status", "CONFIRMED"))))
                .containsExactly(confirmedDelivery);
        assertThat(numbers(list(key, Map.of("fulfillment", "PICKUP", "status", "CONFIRMED"))))
                .isEmpty();
    }

    @Test
    void showsTestOrdersOnlyWhenAskedWithTestTrue() {
        String dispensary = TENANTS.newDispensary();
        String storefront = TENANTS.storefrontKey(dispensary);
        Set<String> real = new HashSet<>();
        Set<String> test = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            real.add(TENANTS.createOrder(storefront, OrderFixtures.pickup(dispensary)));
            test.add(TENANTS.createOrder(internal, OrderFixtures.testOrder(dispensary)));
        }

        assertThat(numbers(list(internal, Map.of("dispensaryId", dispensary, "test", "true"))
                        .body("items.test", everyItem(equalTo(true)))))
                .containsExactlyInAnyOrderElementsOf(test)
                .allMatch(number -> number.endsWith("-T"));
        // Test orders stay out of the default listing, so a storefront's order screen never shows them.
        assertThat(numbers(list(internal, Map.of("dispensaryId", dispensary))
                        .body("items.test", everyItem(equalTo(false)))))
                .containsExactlyInAnyOrderElementsOf(real);
        assertThat(numbers(list(internal, Map.of("dispensaryId", dispensary, "test", "false"))))
                .containsExactlyInAnyOrderElementsOf(real);
        assertThat(numbers(list(storefront, Map.of()))).containsExactlyInAnyOrderElementsOf(real);
    }

    @Test
    void filtersByCreatedFromInclusiveAndCreatedToExclusive() {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        List<String> numbers = new ArrayList<>();
        List<String> createdAt = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ValidatableResponse created = TENANTS.as(key)
                    .contentType(ContentType.JSON)
                    .body(OrderFixtures.pickup(dispensary))
                    .post("/orders")
                    .then()
                    .statusCode(201);
            numbers.add(created.extract().path("orderNumber"));
            createdAt.add(created.extract().path("createdAt"));
        }

        // [createdAt of #1, createdAt of #3): #1 and #2, the bounds taken from the orders themselves.
        assertThat(numbers(list(key, Map.of("createdFrom", createdAt.get(1), "createdTo", createdAt.get(3)))))
                .containsExactly(numbers.get(2), numbers.get(1));
        assertThat(numbers(list(key, Map.of("createdFrom", createdAt.get(3)))))
                .containsExactly(numbers.get(4), numbers.get(3));
        assertThat(numbers(list(key, Map.of("createdTo", createdAt.get(1))))).containsExactly(numbers.get(0));
        assertThat(numbers(list(key, Map.of("createdFrom", createdAt.get(4), "createdTo", createdAt.get(0)))))
                .isEmpty();
    }

    @Test
    void answersTwentyOrdersByDefaultAndAHundredAtMost() {
        JsonPath first = list(busyStorefront, Map.of())
                .body("items", hasSize(20))
                .extract()
                .jsonPath();
        assertThat(first.getString("nextCursor")).isNotNull();

        JsonPath hundred = list(busyStorefront, Map.of("limit", 100))
                .body("items", hasSize(100))
                .extract()
                .jsonPath();
        assertThat(hundred.getList("items.orderNumber", String.class))
                .startsWith(first.getList("items.orderNumber", String.class).toArray(String[]::new));
        list(busyStorefront, Map.of("limit", 100, "cursor", hundred.getString("nextCursor")))
                .body("items", hasSize(BUSY_ORDERS - 100))
                .body("nextCursor", nullValue());
        list(busyStorefront, Map.of("limit", 1)).body("items", hasSize(1));
    }

    @Test
    void refusesALimitOutsideOneToAHundredNamingLimit() {
        for (String limit : List.of("0", "101", "abc", "-1", "1.5", "99999999999", "")) {
            problem(list(busyStorefront, Map.of("limit", limit), 400), "limit");
        }
    }

    @Test
    void refusesAnEmptyParameterRatherThanReadingItAsAbsent() {
        // A client that pages with "cursor=" + nextCursor sends cursor= after the last page: read as absent, that
        // would be page 1 again, and the client would page for ever.
        for (String parameter : List.of(
                "cursor", "limit", "status", "fulfillment", "test", "createdFrom", "createdTo", "dispensaryId")) {
            problem(list(busyStorefront, Map.of(parameter, ""), 400), parameter);
        }
        // Also when the parameter is sent twice, once with a value.
        RequestSpecification twice = TENANTS.as(busyStorefront).queryParam("status", "PENDING", "");
        problem(twice.get("/orders").then().statusCode(400), "status");
    }

    @Test
    void refusesACursorItDidNotGiveOut() {
        Random random = new Random(SEED);
        List<String> bogus = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] bytes = new byte[1 + random.nextInt(40)];
            random.nextBytes(bytes);
            bogus.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        }
        bogus.add("not a cursor");
        bogus.add("!!!");
        bogus.add("%00");
        bogus.add(urlBase64("v2:1764201600:0:1"));
        bogus.add(urlBase64("v1:1764201600:0"));
        bogus.add(urlBase64("v1:1764201600:1000000000:1"));
        bogus.add(urlBase64("v1:1764201600:0:-1"));
        // Well formed, but times PostgreSQL cannot store: a 400, not a database error.
        bogus.add(urlBase64("v1:9999999999999:0:1"));
        bogus.add(urlBase64("v1:-9999999999999:0:1"));
        for (String cursor : bogus) {
            problem(list(busyStorefront, Map.of("cursor", cursor), 400), "cursor");
        }
    }

    @Test
    void refusesATamperedCursor() {
        String cursor = list(busyStorefront, Map.of("limit", 5)).extract().path("nextCursor");
        // The cursor is sealed (AES-GCM), so a client cannot read a position to rewrite; it can change bytes.
        byte[] token = Base64.getUrlDecoder().decode(cursor);
        List<String> tampered = new ArrayList<>(List.of(
                cursor.substring(0, cursor.length() - 2),
                cursor + "A",
                flip(cursor, 3),
                flip(cursor, cursor.length() / 2),
                // The v2 form that was readable: a position the client wrote, with a signature of its own.
                urlBase64("v2:1764201600:0:1") + "." + urlBase64("0123456789abcdef")));
        // One bit changed in the version, the nonce, the sealed position and the tag.
        for (int at : new int[] {0, 1, 13, 20, token.length - 1}) {
            byte[] changed = token.clone();
            changed[at] ^= 1;
            tampered.add(Base64.getUrlEncoder().withoutPadding().encodeToString(changed));
        }
        for (String forged : tampered) {
            problem(list(busyStorefront, Map.of("limit", 5, "cursor", forged), 400), "cursor");
        }
        // The cursor as given out still works.
        list(busyStorefront, Map.of("limit", 5, "cursor", cursor)).body("items", hasSize(5));
    }

    @Test
    void refusesAStorefrontListingAnotherDispensaryWith403() {
        String other = TENANTS.newDispensary();
        list(busyStorefront, Map.of("dispensaryId", other), 403)
                .contentType(PROBLEM_JSON)
                .body("status", equalTo(403));
        // Its own dispensary, named, is fine.
        list(busyStorefront, Map.of("dispensaryId", busyDispensary)).body("items", hasSize(20));
    }

    @Test
    void requiresADispensaryIdFromAnInternalKey() {
        problem(list(internal, Map.of(), 400), "dispensaryId");
        list(internal, Map.of("dispensaryId", busyDispensary)).body("items", hasSize(20));
    }

    @Test
    void refusesBadFilterValuesNamingTheParameter() {
        Map<String, List<String>> bad = Map.of(
                "status", List.of("SHIPPED", "pending"),
                "fulfillment", List.of("CURBSIDE", "pickup"),
                "test", List.of("yes", "TRUE", "1"),
                "createdFrom", List.of("yesterday", "2026-11-26", "2026-11-26T00:00:00", "1764201600"),
                "createdTo", List.of("tomorrow", "2026-13-01T00:00:00Z"),
                "dispensaryId", List.of("a b", "x".repeat(65)));
        bad.forEach((parameter, values) -> {
            for (String value : values) {
                problem(list(internal, Map.of(parameter, value), 400), parameter);
            }
        });
        // Every bad parameter is named at once, not only the first.
        ValidatableResponse several = TENANTS.as(busyStorefront)
                .queryParam("status", "PENDING", "SHIPPED")
                .queryParam("fulfillment", "BOAT")
                .queryParam("limit", "0")
                .get("/orders")
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON);
        several.body("violations.field", hasItem("status"))
                .body("violations.field", hasItem("fulfillment"))
                .body("violations.field", hasItem("limit"));
    }

    @Test
    void refusesInstantsPostgresCannotStoreAsBadFilterValues() {
        // Instant.parse takes these, but a database error must not become a 500.
        for (String parameter : List.of("createdFrom", "createdTo")) {
            for (String value : List.of("+300000-01-01T00:00:00Z", "-300000-01-01T00:00:00Z")) {
                problem(list(busyStorefront, Map.of(parameter, value), 400), parameter);
            }
        }
    }

    private static ValidatableResponse list(String key, Map<String, ?> query) {
        return list(key, query, 200);
    }

    private static ValidatableResponse list(String key, Map<String, ?> query, int status) {
        RequestSpecification request = TENANTS.as(key);
        query.forEach(request::queryParam);
        return request.get("/orders").then().statusCode(status);
    }

    private static List<String> numbers(ValidatableResponse page) {
        return page.extract().jsonPath().getList("items.orderNumber", String.class);
    }

    /** A 400 problem whose violations name the parameter. */
    private static void problem(ValidatableResponse response, String parameter) {
        response.contentType(PROBLEM_JSON)
                .body("type", equalTo("/problems/validation"))
                .body("violations.field", hasItem(parameter));
    }

    /** The cursor with one base64 character changed (never the last, whose low bits may not count). */
    private static String flip(String cursor, int at) {
        char replacement = cursor.charAt(at) == 'A' ? 'B' : 'A';
        if (cursor.charAt(at) == '.') {
            at++;
            replacement = cursor.charAt(at) == 'A' ? 'B' : 'A';
        }
        return cursor.substring(0, at) + replacement + cursor.substring(at + 1);
    }

    private static String urlBase64(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    private static void awaitMoreThan(AtomicInteger counter, int value, Future<?> worker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (counter.get() <= value) {
            if (worker.isDone()) {
                worker.get();
                throw new AssertionError("the inserting thread stopped early");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no insert within 30 s");
            }
            Thread.sleep(1);
        }
    }
}
