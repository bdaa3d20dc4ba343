package io.dispensary.orders.tenant;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The admin API: dispensaries and API keys, behind the admin token; its contract is {@code META-INF/openapi.yaml}. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    private static final String ID = "[A-Za-z0-9_-]{1,64}";

    private final TenantService tenants;

    public AdminResource(TenantService tenants) {
        this.tenants = tenants;
    }

    @PUT
    @Path("dispensaries/{dispensaryId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response putDispensary(
            @PathParam("dispensaryId") @Pattern(regexp = ID, message = "must be 1 to 64 of A-Z, a-z, 0-9, _ and -")
                    String dispensaryId,
            @Valid @NotNull DispensaryRequest request) {
        TenantService.Upserted result = tenants.upsertDispensary(dispensaryId, request);
        return Response.status(result.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(result.dispensary())
                .build();
    }

    @GET
    @Path("dispensaries/{dispensaryId}")
    public DispensaryView getDispensary(@PathParam("dispensaryId") String dispensaryId) {
        return tenants.findDispensary(dispensaryId)
                .orElseThrow(() -> io.dispensary.orders.common.problem.ApiProblem.notFound(
                        "There is no dispensary " + dispensaryId + "."));
    }

    @POST
    @Path("api-keys")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createApiKey(@Valid @NotNull ApiKeyRequest request) {
        return Response.status(Response.Status.CREATED)
                .entity(tenants.createApiKey(request))
                .build();
    }

    @DELETE
    @Path("api-keys/{keyId}")
    public Response revokeApiKey(@PathParam("keyId") String keyId) {
        tenants.revokeApiKey(keyId);
        return Response.noContent().build();
    }
}
