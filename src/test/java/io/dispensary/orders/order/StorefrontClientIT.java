package io.dispensary.orders.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dispensary.client.ApiClient;
import io.dispensary.client.ApiException;
import io.dispensary.client.ApiResponse;
import io.dispensary.client.api.AdminApi;
import io.dispensary.client.api.OrdersApi;
import io.dispensary.client.model.ApiKeyRequest;
import io.dispensary.client.model.Customer;
import io.dispensary.client.model.CustomerType;
import io.dispensary.client.model.DispensaryRequest;
import io.dispensary.client.model.Fulfillment;
import io.dispensary.client.model.NewOrder;
import io.dispensary.client.model.NewOrderLine;
import io.dispensary.client.model.Order;
import io.dispensary.client.model.OrderPage;
import io.dispensary.client.model.OrderStatus;
import io.dispensary.client.model.OrderSummary;
import io.dispensary.client.model.Problem;
import io.dispensary.client.model.ProductCategory;
import io.dispensary.client.model.Role;
import io.dispensary.client.model.TransitionRequest;
import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.Database;
import io.dispensary.orders.testing.ServiceProcess;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A storefront's whole order flow through the Java client that openapi-generator makes from the document (the
 * build generates it into target/), against the packaged service: if the document promises what the service
 * does not do, or names things a generator cannot use, this is where a storefront developer would find out.
 */
class StorefrontClientIT {

    private static final String DISPENSARY = "client-flow";

    @Test
    void aGeneratedClientCreatesReplaysReadsMovesAndListsOrdersAndReadsErrorsAsProblems() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(
                        Database.freshSchema("storefront_client"),
                        ServiceProcess.settings(
                                "ORDERS_ORDER_NUMBER_KEY",
                                "6f0a3c1b2d4e5f60718293a4b5c6d7e8",
                                "ORDERS_ADMIN_TOKEN",
                                Tenants.IT_ADMIN_TOKEN))
                .awaitReady()) {
            AdminApi admin = new AdminApi(client(service, Tenants.IT_ADMIN_TOKEN));
            admin.putDispensary(
                    DISPENSARY,
                    new DispensaryRequest()
                            .name("Client Flow")
                            .timezone("America/Los_Angeles")
                            .fulfillment(Set.of(Fulfillment.PICKUP))
                            .minimumAge(21));
            String key = admin.createApiKey(
                            new ApiKeyRequest().role(Role.STOREFRONT).dispensaryId(DISPENSARY))
                    .getApiKey();
            OrdersApi orders = new OrdersApi(client(service, key));

            ApiResponse<Order> created = orders.createOrderWithHttpInfo(order(), "checkout-1");
            ApiResponse<Order> replayed = orders.createOrderWithHttpInfo(order(), "checkout-1");
            assertThat(created.getStatusCode()).isEqualTo(201);
            assertThat(replayed.getHeaders()).containsEntry("Idempotent-Replayed", List.of("true"));
            assertThat(replayed.getData()).isEqualTo(created.getData());
            String number = created.getData().getOrderNumber();

            Order read = orders.getOrder(number);
            assertThat(read).isEqualTo(created.getData());
            assertThat(read.getStatus()).isEqualTo(OrderStatus.PENDING);

            Order confirmed =
                    orders.transitionOrder(number, new TransitionRequest().to(OrderStatus.CONFIRMED), "\"0\"");
            assertThat(confirmed.getVersion()).isEqualTo(1);
            assertThat(confirmed.getHistory()).hasSize(2);

            // The same If-Match again: someone else's step would be overwritten, so it is a 412, read as a Problem.
            ApiException stale = catchThrowableOfType(
                    ApiException.class,
                    () -> orders.transitionOrder(number, new TransitionRequest().to(OrderStatus.CANCELLED), "\"0\""));
            Problem problem = new ApiClient().getObjectMapper().readValue(stale.getResponseBody(), Problem.class);
            assertThat(stale.getCode()).isEqualTo(412);
            assertThat(problem.getType()).isEqualTo("/problems/stale-version");
            assertThat(problem.getStatus()).isEqualTo(412);

            Set<String> expected = new LinkedHashSet<>(List.of(number));
            for (int i = 0; i < 4; i++) {
                expected.add(orders.createOrder(order(), "checkout-more-" + i).getOrderNumber());
            }
            List<String> listed = new ArrayList<>();
            String cursor = null;
            do {
                OrderPage page = orders.listOrders(null, null, null, null, null, null, 2, cursor);
                page.getItems().stream().map(OrderSummary::getOrderNumber).forEach(listed::add);
                cursor = page.getNextCursor();
            } while (cursor != null);
            assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** The document's own example order, built with the generated model. */
    private static NewOrder order() {
        return new NewOrder()
                .dispensaryId(DISPENSARY)
                .customer(new Customer()
                        .name("Ada Lovelace")
                        .phone("+14155550123")
                        .email("ada@example.com")
                        .birthDate(LocalDate.of(1990, 12, 10))
                        .type(CustomerType.RECREATIONAL))
                .fulfillment(Fulfillment.PICKUP)
                .items(List.of(new NewOrderLine()
                        .sku("FL-OG-35")
                        .name("OG Kush 3.5g")
                        .category(ProductCategory.FLOWER)
                        .quantity(2)
                        .unitPriceCents(3500L)
                        .netWeightGrams(new BigDecimal("3.5"))));
    }

    private static ApiClient client(ServiceProcess service, String bearer) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(service.baseUri());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + bearer));
        return client;
    }
}
