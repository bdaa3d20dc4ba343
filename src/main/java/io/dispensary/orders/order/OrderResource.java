package io.dispensary.orders.order;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The storefront order API: create an order, read it back by its number. */
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Orders")
public class OrderResource {

    private final OrderService service;

    public OrderResource(OrderService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an order", description = "Stores a PENDING order under a new order number.")
    @APIResponse(responseCode = "201", description = "Created",
            headers = @Header(name = "Location", description = "/orders/{orderNumber}",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @APIResponse(responseCode = "400", description = "Malformed body or invalid fields", content = @Content(
            mediaType = "application/problem+json"))
    @APIResponse(responseCode = "413", description = "Body over 256 KiB", content = @Content(
            mediaType = "application/problem+json"))
    @APIResponse(responseCode = "415", description = "Body is not application/json", content = @Content(
            mediaType = "application/problem+json"))
    @APIResponse(responseCode = "503", description = "Order numbers exhausted (type /problems/order-numbers-exhausted)"
            + " or overload; see Retry-After",
            headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = "application/problem+json"))
    public Response create(@Valid @NotNull CreateOrderRequest request) {
        OrderView order = service.create(request);
        return Response.status(Response.Status.CREATED)
                .header("Location", "/orders/" + order.orderNumber())
                .entity(order)
                .build();
    }

    @GET
    @Path("{orderNumber}")
    @Operation(summary = "Get an order by its number",
            description = "Test order numbers end in -T. The format and check digit are checked first.")
    @APIResponse(responseCode = "200", description = "The order",
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @APIResponse(responseCode = "400", description = "Not an order number (shape or check digit)",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "No such order", content = @Content(
            mediaType = "application/problem+json"))
    public OrderView get(@PathParam("orderNumber") String orderNumber) {
        return service.get(orderNumber);
    }
}
