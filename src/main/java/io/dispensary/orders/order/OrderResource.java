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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The order API for storefronts and staff: create (idempotently), read, list and move orders. */
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Orders")
@SecurityRequirement(name = "bearer")
@APIResponse(
        responseCode = "401",
        description = "Missing, unknown or revoked API key",
        headers = @Header(name = "WWW-Authenticate", schema = @Schema(type = SchemaType.STRING)),
        content = @Content(mediaType = Problem.MEDIA_TYPE))
@APIResponse(
        responseCode = "503",
        description = "Overloaded (type /problems/overloaded: at the in-flight limit, or"
                + " no database connection within the bound) or the database unavailable (type /problems/database-unavailable:"
                + " stopped, failing over, or over the request's time budget). Retry the same request with the same"
                + " Idempotency-Key after Retry-After seconds, for at least 30 s in all: the retry returns the order if it was"
                + " stored, or creates it.",
        headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)),
        content = @Content(mediaType = "application/problem+json"))
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
    @Operation(
            summary = "Create an order",
            description = "Stores a PENDING order under a new order number. With an Idempotency-Key, a retry with "
                    + "the same body within 24 hours replays the first response. Send one: on a 503, a 409, or a "
                    + "connection error or timeout, retry with the same key (honouring Retry-After) for at least "
                    + "30 s; the same key never creates a second order.")
    @APIResponse(
            responseCode = "201",
            description = "Created, or replayed (Idempotent-Replayed: true)",
            headers = {
                @Header(
                        name = "Location",
                        description = "/orders/{orderNumber}",
                        schema = @Schema(type = SchemaType.STRING)),
                @Header(name = "ETag", description = "The order's version", schema = @Schema(type = SchemaType.STRING)),
                @Header(name = REPLAYED, description = "true on a replay", schema = @Schema(type = SchemaType.STRING))
            },
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @APIResponse(
            responseCode = "400",
            description = "Malformed body, invalid fields or Idempotency-Key",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "403",
            description = "Another dispensary, or a test order from a storefront key",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "409",
            description = "A request with this Idempotency-Key is still in flight",
            headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "413",
            description = "Body over 256 KiB",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "415",
            description = "Body is not application/json",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "422",
            description = "Unknown dispensary, under age, fulfillment not offered, "
                    + "over a purchase limit, or an Idempotency-Key reused with another body",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "503",
            description = "Order numbers exhausted (type /problems/order-numbers-exhausted),"
                    + " overload (/problems/overloaded) or the database unavailable (/problems/database-unavailable). Retry"
                    + " with the same Idempotency-Key after Retry-After seconds, for at least 30 s in all.",
            headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @Parameter(
            name = IDEMPOTENCY_KEY,
            in = ParameterIn.HEADER,
            schema = @Schema(type = SchemaType.STRING),
            description = "1 to 255 characters; scoped to the API key; kept 24 hours")
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
    @Operation(
            summary = "Get an order by its number, with its history",
            description = "Test order numbers end in -T. The format and check digit are checked first.")
    @APIResponse(
            responseCode = "200",
            description = "The order",
            headers =
                    @Header(
                            name = "ETag",
                            description = "The order's version",
                            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @APIResponse(
            responseCode = "400",
            description = "Not an order number (shape or check digit)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "404",
            description = "No such order, or another dispensary's",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response get(@PathParam("orderNumber") String orderNumber) {
        OrderView order = service.get(orderNumber, currentCaller.get());
        return Response.ok(order)
                .header("ETag", OrderView.etag(order.version()))
                .build();
    }

    @POST
    @Path("{orderNumber}/transitions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Move an order through its lifecycle",
            description = "PENDING -> CONFIRMED -> READY_FOR_PICKUP | OUT_FOR_DELIVERY -> COMPLETED; PENDING -> "
                    + "REJECTED; any open status -> CANCELLED (reason required).")
    @APIResponse(
            responseCode = "200",
            description = "The order after the transition",
            headers = @Header(name = "ETag", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @APIResponse(
            responseCode = "400",
            description = "Invalid body, number or If-Match",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "404",
            description = "No such order",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "409",
            description = "Not allowed from the current status; `allowed` lists what is",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "412",
            description = "If-Match does not match the order's current ETag",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @Parameter(
            name = HttpHeaders.IF_MATCH,
            in = ParameterIn.HEADER,
            schema = @Schema(type = SchemaType.STRING),
            description = "The ETag the client last saw")
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
    @Operation(
            summary = "List orders, newest first",
            description = "Keyset pagination: pass nextCursor back as cursor until it is null. Storefront keys see "
                    + "their own dispensary; INTERNAL keys name one.")
    @APIResponse(
            responseCode = "200",
            description = "A page",
            content = @Content(schema = @Schema(implementation = OrderPage.class)))
    @APIResponse(
            responseCode = "400",
            description = "A bad or empty filter, limit or cursor",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "403",
            description = "Another dispensary",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public OrderPage list(
            @QueryParam("dispensaryId") String dispensaryId,
            @Parameter(description = "Repeatable") @QueryParam("status") List<String> status,
            @QueryParam("fulfillment") String fulfillment,
            @Parameter(description = "true for test orders; default false") @QueryParam("test") String test,
            @Parameter(description = "ISO-8601 instant, inclusive") @QueryParam("createdFrom") String createdFrom,
            @Parameter(description = "ISO-8601 instant, exclusive") @QueryParam("createdTo") String createdTo,
            @Parameter(description = "1 to 100; default 20") @QueryParam("limit") String limit,
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
