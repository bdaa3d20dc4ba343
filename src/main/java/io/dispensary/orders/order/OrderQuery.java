package io.dispensary.orders.order;

import io.dispensary.orders.common.problem.ApiProblem;
import io.dispensary.orders.common.problem.Problem;
import io.dispensary.orders.tenant.Fulfillment;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The filters of {@code GET /orders}, parsed from raw query strings so that every bad value is a 400 naming
 * its parameter (JAX-RS would answer a bad enum in a query parameter with 404). The cursor stays as sent:
 * checking its signature takes the service's key.
 */
record OrderQuery(
        String dispensaryId,
        Set<OrderStatus> statuses,
        Fulfillment fulfillment,
        boolean test,
        Instant createdFrom,
        Instant createdTo,
        int limit,
        String cursor) {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    /**
     * The instants a filter or cursor may name: RFC 3339's four-digit years. Java parses far wider ones
     * ({@code +1000000000-01-01T00:00:00Z}) that PostgreSQL's timestamptz cannot hold.
     */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** The query parameters of a listing. */
    static final List<String> PARAMETERS =
            List.of("dispensaryId", "status", "fulfillment", "test", "createdFrom", "createdTo", "limit", "cursor");

    /**
     * {@code sentEmpty} names the parameters sent with an empty value ({@code cursor=}): each is a 400, never
     * read as absent, or a client that pages with {@code "cursor=" + nextCursor} would restart at page 1
     * after the last page, for ever.
     */
    static OrderQuery parse(
            String dispensaryId,
            List<String> statuses,
            String fulfillment,
            String test,
            String createdFrom,
            String createdTo,
            String limit,
            String cursor,
            List<String> sentEmpty) {
        List<Problem.Violation> violations = new ArrayList<>();
        for (String name : sentEmpty) {
            violations.add(new Problem.Violation(
                    name,
                    name.equals("cursor")
                            ? "must not be empty: the last page has no nextCursor, and there is nothing after it"
                            : "must not be empty: leave it out instead"));
        }
        if (dispensaryId != null && !dispensaryId.matches("[A-Za-z0-9_-]{1,64}")) {
            violations.add(new Problem.Violation("dispensaryId", "must be 1 to 64 of A-Z, a-z, 0-9, _ and -"));
        }
        Set<OrderStatus> statusSet = EnumSet.noneOf(OrderStatus.class);
        for (String status : statuses == null ? List.<String>of() : statuses) {
            if (status.isEmpty()) {
                continue; // named in sentEmpty
            }
            OrderStatus parsed = parseEnum(OrderStatus.class, status);
            if (parsed == null) {
                violations.add(
                        new Problem.Violation("status", "must be one of " + Arrays.toString(OrderStatus.values())));
            } else {
                statusSet.add(parsed);
            }
        }
        Fulfillment fulfillmentValue = null;
        if (fulfillment != null) {
            fulfillmentValue = parseEnum(Fulfillment.class, fulfillment);
            if (fulfillmentValue == null) {
                violations.add(new Problem.Violation("fulfillment", "must be PICKUP or DELIVERY"));
            }
        }
        boolean testValue = false;
        if (test != null) {
            if (!test.equals("true") && !test.equals("false")) {
                violations.add(new Problem.Violation("test", "must be true or false"));
            }
            testValue = test.equals("true");
        }
        Instant from = parseInstant(createdFrom, "createdFrom", violations);
        Instant to = parseInstant(createdTo, "createdTo", violations);
        int limitValue = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                limitValue = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                limitValue = -1;
            }
            if (limitValue < 1 || limitValue > MAX_LIMIT) {
                violations.add(new Problem.Violation("limit", "must be a whole number from 1 to " + MAX_LIMIT));
            }
        }
        if (!violations.isEmpty()) {
            throw ApiProblem.validation(violations);
        }
        return new OrderQuery(dispensaryId, statusSet, fulfillmentValue, testValue, from, to, limitValue, cursor);
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        return null;
    }

    private static Instant parseInstant(String value, String field, List<Problem.Violation> violations) {
        if (value == null) {
            return null;
        }
        try {
            Instant instant = Instant.parse(value);
            if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
                violations.add(new Problem.Violation(field, "must be between years 0001 and 9999"));
                return null;
            }
            return instant;
        } catch (DateTimeParseException e) {
            violations.add(new Problem.Violation(field, "must be an ISO-8601 instant such as 2026-11-26T00:00:00Z"));
            return null;
        }
    }
}
