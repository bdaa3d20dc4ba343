package io.dispensary.orders.webhook;

import io.dispensary.orders.common.problem.ApiProblem;
import io.dispensary.orders.common.problem.Problem;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The webhook part of the admin API, behind the admin token: subscriptions, their secrets and the accounting of
 * their deliveries. Its contract is {@code META-INF/openapi.yaml}.
 */
@Path("/admin/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    private static final String ID = "[A-Za-z0-9_-]{1,64}";
    private static final String ID_MESSAGE = "must be 1 to 64 of A-Z, a-z, 0-9, _ and -";

    private final WebhookService webhooks;

    public WebhookResource(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response subscribe(@Valid @NotNull SubscriptionRequest request) {
        SubscriptionView created = webhooks.subscribe(request);
        return Response.created(URI.create("/admin/webhooks/" + created.id()))
                .entity(created)
                .build();
    }

    @GET
    public SubscriptionList list(
            @QueryParam("dispensaryId") @NotNull(message = "is required") @Pattern(regexp = ID, message = ID_MESSAGE)
                    String dispensaryId) {
        return webhooks.list(dispensaryId);
    }

    @GET
    @Path("{id}")
    public SubscriptionView get(@PathParam("id") @Pattern(regexp = ID, message = ID_MESSAGE) String id) {
        return webhooks.get(id);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") @Pattern(regexp = ID, message = ID_MESSAGE) String id) {
        webhooks.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/secret")
    public SubscriptionView rotateSecret(@PathParam("id") @Pattern(regexp = ID, message = ID_MESSAGE) String id) {
        return webhooks.rotateSecret(id);
    }

    @GET
    @Path("{id}/deliveries/summary")
    public DeliverySummary summary(@PathParam("id") @Pattern(regexp = ID, message = ID_MESSAGE) String id) {
        return webhooks.summary(id);
    }

    @GET
    @Path("{id}/deliveries")
    public DeliveryPage deliveries(
            @PathParam("id") @Pattern(regexp = ID, message = ID_MESSAGE) String id,
            @QueryParam("status") String status,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") @Size(min = 1, max = 512) String cursor) {
        return webhooks.deliveries(id, state(status), limit, cursor);
    }

    @POST
    @Path("{id}/deliveries/{eventId}/retry")
    public Response retry(
            @PathParam("id") @Pattern(regexp = ID, message = ID_MESSAGE) String id,
            @PathParam("eventId") @Pattern(regexp = ID, message = ID_MESSAGE) String eventId) {
        return Response.accepted(webhooks.retry(id, eventId)).build();
    }

    private static DeliveryState state(String status) {
        if (status == null) {
            return null;
        }
        try {
            return DeliveryState.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.validation(List.of(
                    new Problem.Violation("status", "must be one of pending, retrying, delivered, dead, cancelled")));
        }
    }
}
