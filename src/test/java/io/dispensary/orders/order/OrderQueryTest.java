package io.dispensary.orders.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dispensary.orders.common.problem.ApiProblem;
import io.dispensary.orders.common.problem.Problem;
import io.dispensary.orders.tenant.Fulfillment;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing a listing's query parameters, without HTTP: OrderListingTest covers them through the API. */
class OrderQueryTest {

    @Test
    void noParametersMeanTheFirstTwentyRealOrdersOfAnyStatus() {
        OrderQuery query = parse(null, null, null, null, null, null, null, List.of());
        assertThat(query)
                .isEqualTo(new OrderQuery(
                        null, java.util.Set.of(), null, false, null, null, OrderQuery.DEFAULT_LIMIT, null));
    }

    @Test
    void everyParameterIsReadAsSent() {
        OrderQuery query = OrderQuery.parse(
                "disp-1",
                List.of("PENDING", "CONFIRMED", "PENDING"),
                "DELIVERY",
                "true",
                "2026-01-01T00:00:00Z",
                "2026-02-01T00:00:00Z",
                "100",
                "a.b",
                List.of());
        assertThat(query.dispensaryId()).isEqualTo("disp-1");
        assertThat(query.statuses()).containsExactly(OrderStatus.PENDING, OrderStatus.CONFIRMED);
        assertThat(query.fulfillment()).isEqualTo(Fulfillment.DELIVERY);
        assertThat(query.test()).isTrue();
        assertThat(query.createdFrom()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(query.createdTo()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(query.limit()).isEqualTo(100);
        assertThat(query.cursor()).isEqualTo("a.b");
    }

    @Test
    void anEmptyCursorIsRefusedNeverReadAsTheFirstPage() {
        assertThat(violations(() -> parse(null, null, null, null, null, null, null, List.of("cursor"))))
                .extracting(Problem.Violation::field)
                .containsExactly("cursor");
    }

    @Test
    void everyWrongParameterIsNamedInOneAnswer() {
        List<Problem.Violation> violations = violations(() -> OrderQuery.parse(
                "no spaces",
                List.of("LOST"),
                "DRONE",
                "yes",
                "yesterday",
                "+1000000000-01-01T00:00:00Z",
                "0",
                null,
                List.of("fulfillment")));
        assertThat(violations)
                .extracting(Problem.Violation::field)
                .containsExactly(
                        "fulfillment",
                        "dispensaryId",
                        "status",
                        "fulfillment",
                        "test",
                        "createdFrom",
                        "createdTo",
                        "limit");
    }

    @Test
    void theLimitRunsFromOneToAHundred() {
        assertThat(parse(null, null, null, null, null, null, "1", List.of()).limit())
                .isEqualTo(1);
        assertThat(parse(null, null, null, null, null, null, "100", List.of()).limit())
                .isEqualTo(100);
        for (String limit : new String[] {"0", "101", "-1", "1.5", "ten", "99999999999"}) {
            assertThat(violations(() -> parse(null, null, null, null, null, null, limit, List.of())))
                    .as(limit)
                    .extracting(Problem.Violation::field)
                    .containsExactly("limit");
        }
    }

    @Test
    void instantsOutsideFourDigitYearsAreRefused() {
        assertThat(parse(
                                null,
                                null,
                                null,
                                null,
                                "0001-01-01T00:00:00Z",
                                "9999-12-31T23:59:59.999999999Z",
                                null,
                                List.of())
                        .createdFrom())
                .isEqualTo(OrderQuery.EARLIEST);
        assertThat(violations(() -> parse(null, null, null, null, "-0001-01-01T00:00:00Z", null, null, List.of())))
                .extracting(Problem.Violation::field)
                .containsExactly("createdFrom");
    }

    private static OrderQuery parse(
            String dispensaryId,
            List<String> statuses,
            String fulfillment,
            String test,
            String from,
            String to,
            String limit,
            List<String> sentEmpty) {
        return OrderQuery.parse(dispensaryId, statuses, fulfillment, test, from, to, limit, null, sentEmpty);
    }

    private static List<Problem.Violation> violations(Runnable parse) {
        ApiProblem[] thrown = new ApiProblem[1];
        assertThatThrownBy(parse::run).isInstanceOfSatisfying(ApiProblem.class, problem -> thrown[0] = problem);
        assertThat(thrown[0].status()).isEqualTo(400);
        return thrown[0].violations();
    }
}
