package io.dispensary.orders.order;

import io.dispensary.orders.common.problem.ApiProblem;
import io.dispensary.orders.common.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** An opaque listing cursor: the (createdAt, id) of the last order of the previous page. */
record Cursor(Instant createdAt, long id) {

    private static final String VERSION = "v1";

    static Cursor of(CustomerOrder order) {
        return new Cursor(order.createdAt, order.id);
    }

    String encode() {
        String plain = VERSION + ":" + createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /** Parses a cursor this service gave out; anything else is a 400. */
    static Cursor decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split(":");
            if (parts.length != 4 || !VERSION.equals(parts[0])) {
                throw new IllegalArgumentException("unknown cursor version");
            }
            long id = Long.parseLong(parts[3]);
            int nanos = Integer.parseInt(parts[2]);
            if (id < 0 || nanos < 0 || nanos > 999_999_999) {
                throw new IllegalArgumentException("out of range");
            }
            Instant createdAt = Instant.ofEpochSecond(Long.parseLong(parts[1]), nanos);
            // Orders are stored within these; a cursor outside them was not given out, and would fail in SQL.
            if (createdAt.isBefore(OrderQuery.EARLIEST) || createdAt.isAfter(OrderQuery.LATEST)) {
                throw new IllegalArgumentException("out of range");
            }
            return new Cursor(createdAt, id);
        } catch (RuntimeException e) {
            throw ApiProblem.validation(List.of(new Problem.Violation("cursor",
                    "is not a cursor this service gave out; start again without one")));
        }
    }
}
