package io.dispensary.orders.order;

import io.dispensary.orders.common.problem.ApiProblem;
import io.dispensary.orders.common.problem.Problem;
import io.dispensary.orders.tenant.DispensaryRules;
import io.dispensary.orders.tenant.PurchaseLimit;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The dispensary's rules at create time: minimum age, offered fulfillment, per-order purchase limits. Rolling
 * allotments (per 14 days, per month) are the state tracking system's business, not the storefront's.
 */
final class Compliance {

    private Compliance() {}

    static void check(CreateOrderRequest request, DispensaryRules dispensary, Clock clock) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneId.of(dispensary.timezone())));
        int age = Period.between(request.customer().birthDate(), today).getYears();
        if (age < dispensary.minimumAge()) {
            throw new ApiProblem(
                            422,
                            "underage",
                            "Customer under the minimum age",
                            "The customer must be at least " + dispensary.minimumAge()
                                    + " to order from this dispensary.")
                    .withViolations(List.of(new Problem.Violation(
                            "customer.birthDate", "the customer is under " + dispensary.minimumAge())));
        }
        if (!dispensary.fulfillment().contains(request.fulfillment())) {
            throw new ApiProblem(
                            422,
                            "fulfillment-not-offered",
                            "Fulfillment not offered",
                            "This dispensary offers " + dispensary.fulfillment() + ", not " + request.fulfillment()
                                    + ".")
                    .withViolations(List.of(
                            new Problem.Violation("fulfillment", "must be one of " + dispensary.fulfillment())));
        }
        PurchaseLimit limit = dispensary.purchaseLimits().get(request.customer().type());
        if (limit != null) {
            checkLimits(request, limit);
        }
    }

    private static void checkLimits(CreateOrderRequest request, PurchaseLimit limit) {
        List<Problem.Violation> missing = new ArrayList<>();
        List<Problem.Violation> over = new ArrayList<>();
        Measure[] measures = {
            new Measure(
                    "flowerGrams",
                    limit.flowerGrams(),
                    "netWeightGrams",
                    CreateOrderRequest.Item::netWeightGrams,
                    ProductCategory.FLOWER,
                    ProductCategory.PRE_ROLL),
            new Measure(
                    "concentrateGrams",
                    limit.concentrateGrams(),
                    "netWeightGrams",
                    CreateOrderRequest.Item::netWeightGrams,
                    ProductCategory.CONCENTRATE,
                    ProductCategory.VAPE),
            new Measure(
                    "edibleThcMg",
                    limit.edibleThcMg(),
                    "thcMg",
                    CreateOrderRequest.Item::thcMg,
                    ProductCategory.EDIBLE),
        };
        for (Measure measure : measures) {
            if (measure.limit == null) {
                continue;
            }
            BigDecimal amount = BigDecimal.ZERO;
            for (int i = 0; i < request.items().size(); i++) {
                CreateOrderRequest.Item item = request.items().get(i);
                if (!List.of(measure.categories).contains(item.category())) {
                    continue;
                }
                BigDecimal perUnit = measure.field.apply(item);
                if (perUnit == null) {
                    missing.add(new Problem.Violation(
                            "items[" + i + "]." + measure.fieldName,
                            "is required: " + item.category() + " counts toward the " + measure.category + " limit"));
                    continue;
                }
                amount = amount.add(perUnit.multiply(BigDecimal.valueOf(item.quantity())));
            }
            if (amount.compareTo(measure.limit) > 0) {
                over.add(new Problem.Violation(
                        "items",
                        measure.category + " " + amount.stripTrailingZeros().toPlainString() + " is over the limit of "
                                + measure.limit.stripTrailingZeros().toPlainString(),
                        measure.category,
                        measure.limit,
                        amount));
            }
        }
        if (!missing.isEmpty()) {
            throw new ApiProblem(
                            422,
                            "measure-required",
                            "Item measure required",
                            "Items in a limited category must say how much they count toward the limit.")
                    .withViolations(missing);
        }
        if (!over.isEmpty()) {
            throw new ApiProblem(
                            422,
                            "purchase-limit-exceeded",
                            "Purchase limit exceeded",
                            "The order is over the dispensary's per-order purchase limits for "
                                    + request.customer().type() + " customers.")
                    .withViolations(over);
        }
    }

    private record Measure(
            String category,
            BigDecimal limit,
            String fieldName,
            Function<CreateOrderRequest.Item, BigDecimal> field,
            ProductCategory... categories) {}
}
