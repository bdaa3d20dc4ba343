package io.dispensary.orders.order;

import io.dispensary.orders.common.RequestTags;
import io.dispensary.orders.common.problem.ApiProblem;
import io.dispensary.orders.common.problem.Problem;
import io.dispensary.orders.tenant.Caller;
import io.dispensary.orders.tenant.CurrentCaller;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The order API for storefronts and staff: create (idempotently), read, list and move orders. What each operation
 * answers is written in {@code META-INF/openapi.yaml}; a change here that answers something else fails the tests.
 */
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";

    private final OrderService service;
    private final CurrentCaller currentCaller;
    private final RequestTags tags;

    public OrderResource(OrderService service, CurrentCaller currentCaller, RequestTags tags) {
        this.service = service;
        this.currentCaller = currentCaller;
        this.tags = tags;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context HttpHeaders headers, @Valid @NotNull CreateOrderRequest request) {
        if (request.isTest()) {
            // Test orders are measured apart and never count toward the SLO or the business counters.
            tags.markTest();
        }
        Caller caller = currentCaller.get();
        // Read as sent: @HeaderParam gives an empty header as absent, and an empty key would then create an
        // order that a retry creates again.
        List<String> sent = headers.getRequestHeader(IDEMPOTENCY_KEY);
        String idempotencyKey = sent == null || sent.isEmpty() ? null : sent.get(0);
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255 || sent.size() > 1)) {
            throw ApiProblem.validation(
                    List.of(new Problem.Violation(IDEMPOTENCY_KEY, "must be sent once, with 1 to 255 characters")));
        }
        OrderService.Created created = service.create(request, caller, idempotencyKey);
        Response.ResponseBuilder response = Response.status(Response.Status.CREATED)
                .type(MediaType.APPLICATION_JSON)
                .entity(created.body())
                .header("Location", "/orders/" + created.orderNumber())
                // A replay is the order as created, at its first version.
                .header("ETag", OrderView.etag(created.version()));
        if (created.replayed()) {
            response.header(REPLAYED, "true");
        }
        return response.build();
    }

    @GET
    @Path("{orderNumber}")
    public Response get(@PathParam("orderNumber") String orderNumber) {
        OrderView order = service.get(orderNumber, currentCaller.get());
        return Response.ok(order)
                .header("ETag", OrderView.etag(order.version()))
                .build();
    }

    @POST
    @Path("{orderNumber}/transitions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response transition(
            @PathParam("orderNumber") String orderNumber,
            @Context HttpHeaders headers,
            @Valid @NotNull TransitionRequest request) {
        // Read as sent: @HeaderParam gives an empty If-Match as absent, which would skip the precondition.
        Integer expectedVersion = parseIfMatch(headers.getHeaderString(HttpHeaders.IF_MATCH));
        OrderView order = service.transition(orderNumber, request, expectedVersion, currentCaller.get());
        return Response.ok(order)
                .header("ETag", OrderView.etag(order.version()))
                .build();
    }

    @GET
    public OrderPage list(
            @QueryParam("dispensaryId") String dispensaryId,
            @QueryParam("status") List<String> status,
            @QueryParam("fulfillment") String fulfillment,
            @QueryParam("test") String test,
            @QueryParam("createdFrom") String createdFrom,
            @QueryParam("createdTo") String createdTo,
            @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor,
            @Context HttpServerRequest http) {
        // Quarkus REST hands an empty value (cursor=) over as no value; the raw query still tells them apart.
        List<String> sentEmpty = OrderQuery.PARAMETERS.stream()
                .filter(name -> http.params().getAll(name).contains(""))
                .toList();
        return service.list(
                OrderQuery.parse(
                        dispensaryId, status, fulfillment, test, createdFrom, createdTo, limit, cursor, sentEmpty),
                currentCaller.get());
    }

    /** {@code "3"} -> 3; {@code *} or absent -> no precondition; anything else is a 400. */
    private static Integer parseIfMatch(String ifMatch) {
        if (ifMatch == null || ifMatch.trim().equals("*")) {
            return null;
        }
        String value = ifMatch.trim();
        if (value.matches("\"[0-9]{1,9}\"")) {
            return Integer.parseInt(value.substring(1, value.length() - 1));
        }
        throw ApiProblem.validation(
                List.of(new Problem.Violation("If-Match", "must be an ETag this service gave out, such as \"3\"")));
    }
}
