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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The admin API: dispensaries and API keys, behind the admin token. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin")
@SecurityRequirement(name = "bearer")
@APIResponse(
        responseCode = "401",
        description = "Missing or wrong admin token",
        headers = @Header(name = "WWW-Authenticate", schema = @Schema(type = SchemaType.STRING)),
        content = @Content(mediaType = "application/problem+json"))
@APIResponse(
        responseCode = "503",
        description = "Overloaded (type /problems/overloaded: at the in-flight limit, or"
                + " no database connection within the bound) or the database unavailable (type /problems/database-unavailable:"
                + " stopped, failing over, or over the request's time budget). Retry the same request with the same"
                + " Idempotency-Key after Retry-After seconds, for at least 30 s in all: the retry returns the order if it was"
                + " stored, or creates it.",
        headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)),
        content = @Content(mediaType = "application/problem+json"))
public class AdminResource {

    private static final String ID = "[A-Za-z0-9_-]{1,64}";

    private final TenantService tenants;

    public AdminResource(TenantService tenants) {
        this.tenants = tenants;
    }

    @PUT
    @Path("dispensaries/{dispensaryId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create or update a dispensary")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content = @Content(schema = @Schema(implementation = DispensaryView.class)))
    @APIResponse(
            responseCode = "200",
            description = "Updated",
            content = @Content(schema = @Schema(implementation = DispensaryView.class)))
    @APIResponse(
            responseCode = "400",
            description = "Invalid fields",
            content = @Content(mediaType = "application/problem+json"))
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
    @Operation(summary = "Get a dispensary")
    @APIResponse(
            responseCode = "200",
            description = "The dispensary",
            content = @Content(schema = @Schema(implementation = DispensaryView.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such dispensary",
            content = @Content(mediaType = "application/problem+json"))
    public DispensaryView getDispensary(@PathParam("dispensaryId") String dispensaryId) {
        return tenants.findDispensary(dispensaryId)
                .orElseThrow(() -> io.dispensary.orders.common.problem.ApiProblem.notFound(
                        "There is no dispensary " + dispensaryId + "."));
    }

    @POST
    @Path("api-keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key", description = "The key is in this response only; it is stored hashed.")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content = @Content(schema = @Schema(implementation = ApiKeyCreated.class)))
    @APIResponse(
            responseCode = "400",
            description = "Invalid fields",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(
            responseCode = "422",
            description = "Unknown dispensary",
            content = @Content(mediaType = "application/problem+json"))
    public Response createApiKey(@Valid @NotNull ApiKeyRequest request) {
        return Response.status(Response.Status.CREATED)
                .entity(tenants.createApiKey(request))
                .build();
    }

    @DELETE
    @Path("api-keys/{keyId}")
    @Operation(summary = "Revoke an API key", description = "Takes effect at once on every instance.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(
            responseCode = "404",
            description = "No such key",
            content = @Content(mediaType = "application/problem+json"))
    public Response revokeApiKey(@PathParam("keyId") String keyId) {
        tenants.revokeApiKey(keyId);
        return Response.noContent().build();
    }
}
