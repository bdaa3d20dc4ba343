package io.dispensary.orders.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dispensary.orders.common.problem.ApiProblem;
import io.dispensary.orders.tenant.CustomerType;
import io.dispensary.orders.tenant.DispensaryRules;
import io.dispensary.orders.tenant.Fulfillment;
import io.dispensary.orders.tenant.PurchaseLimit;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compliance rules alone, on a fixed clock: the age check at any moment of the day, midnight included, which
 * an HTTP test on the wall clock could only reach by waiting. ComplianceTest covers the rules through the API.
 */
class ComplianceRulesTest {

    /** Fourteen and twelve hours either side of UTC, no daylight saving: their dates always differ. */
    private static final ZoneId FAR_EAST = ZoneId.of("Etc/GMT-14");

    private static final ZoneId FAR_WEST = ZoneId.of("Etc/GMT+12");
    /** Fixed, so a failure repeats; a new seed samples other moments. */
    private static final long SEED = 21L;

    @Test
    void aCustomerTurning21TodayInTheDispensarysTimezoneMayOrderAtAnyMomentOfThatDay() {
        Random random = new Random(SEED);
        Instant lastSecondOfAnEasternDay = LocalDate.of(2026, 12, 1)
                .atTime(23, 59, 59, 999_999_999)
                .atZone(FAR_EAST)
                .toInstant();
        assertTurning21TodayAt(lastSecondOfAnEasternDay);
        assertTurning21TodayAt(lastSecondOfAnEasternDay.plusNanos(1));
        for (int i = 0; i < 1_000; i++) {
            assertTurning21TodayAt(Instant.ofEpochSecond(random.nextLong(
                    Instant.parse("2000-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("2100-01-01T00:00:00Z").getEpochSecond())));
        }
    }

    @Test
    void theMinimumAgeIsTheDispensarys() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
        LocalDate eighteen = LocalDate.of(2008, 12, 1);
        assertThatCode(() -> Compliance.check(order(eighteen, Fulfillment.PICKUP), rules("UTC", 18), clock))
                .doesNotThrowAnyException();
        assertRefused(() -> Compliance.check(order(eighteen, Fulfillment.PICKUP), rules("UTC", 21), clock), "underage");
    }

    @Test
    void aFulfillmentTheDispensaryDoesNotOfferIsRefused() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
        DispensaryRules pickupOnly = new DispensaryRules("d", "UTC", EnumSet.of(Fulfillment.PICKUP), 21, Map.of());
        assertRefused(
                () -> Compliance.check(order(LocalDate.of(1990, 1, 1), Fulfillment.DELIVERY), pickupOnly, clock),
                "fulfillment-not-offered");
    }

    private static void assertTurning21TodayAt(Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        LocalDate eastToday = LocalDate.ofInstant(now, FAR_EAST);
        // Born on 29 February: which day is the birthday in other years is a legal question, not this test's.
        if (MonthDay.from(eastToday).equals(MonthDay.of(2, 29))) {
            return;
        }
        LocalDate turns21Today = eastToday.minusYears(21);
        DispensaryRules east = rules(FAR_EAST.getId(), 21);
        DispensaryRules west = rules(FAR_WEST.getId(), 21);
        assertThatCode(() -> Compliance.check(order(turns21Today, Fulfillment.PICKUP), east, clock))
                .as("at %s", now)
                .doesNotThrowAnyException();
        assertRefused(
                () -> Compliance.check(order(turns21Today.plusDays(1), Fulfillment.PICKUP), east, clock), "underage");
        // A day or more behind, the same birthday has not come yet: 20 there.
        assertRefused(() -> Compliance.check(order(turns21Today, Fulfillment.PICKUP), west, clock), "underage");
        LocalDate westTurns21 = LocalDate.ofInstant(now, FAR_WEST).minusYears(21);
        if (!MonthDay.from(westTurns21).equals(MonthDay.of(2, 29))) {
            assertThatCode(() -> Compliance.check(order(westTurns21, Fulfillment.PICKUP), west, clock))
                    .as("at %s", now)
                    .doesNotThrowAnyException();
        }
    }

    private static DispensaryRules rules(String timezone, int minimumAge) {
        return new DispensaryRules(
                "disp-rules",
                timezone,
                EnumSet.allOf(Fulfillment.class),
                minimumAge,
                Map.of(CustomerType.RECREATIONAL, new PurchaseLimit(new BigDecimal("28.35"), null, null)));
    }

    /** One 3.5 g flower line, well within the limit. */
    private static CreateOrderRequest order(LocalDate birthDate, Fulfillment fulfillment) {
        return new CreateOrderRequest(
                "disp-rules",
                new CreateOrderRequest.Customer(
                        "Ada Lovelace", "+14155550123", null, birthDate, CustomerType.RECREATIONAL),
                fulfillment,
                null,
                List.of(new CreateOrderRequest.Item(
                        "FL-OG-35", "OG Kush 3.5g", ProductCategory.FLOWER, 1, 3500L, new BigDecimal("3.5"), null)),
                null);
    }

    private static void assertRefused(Runnable check, String slug) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(ApiProblem.class, problem -> {
            assertThat(problem.status()).isEqualTo(422);
            assertThat(problem.slug()).isEqualTo(slug);
        });
    }
}
