package io.dispensary.orders.tenant;

import io.dispensary.orders.common.OrdersConfig;
import io.dispensary.orders.common.Rehearsal;
import io.dispensary.orders.common.RequestTags;
import io.dispensary.orders.common.problem.ApiProblem;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.OptionalInt;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every API request by its bearer token: the admin token for /admin, an API key for /orders.
 * Keys are looked up by hash on every request ({@link TenantService#callerFor}), so a revoked key stops working
 * on every instance as soon as that instance hears of the revoke.
 */
@ApplicationScoped
public class Authentication {

    private static final int MIN_ADMIN_TOKEN_LENGTH = 32;

    private final OrdersConfig config;
    private final CurrentCaller currentCaller;
    private final TenantService tenants;
    private final Rehearsal rehearsal;
    private final RequestTags tags;
    /** A well-formed API key of no one's, for rehearsals to look up. */
    private final String unknownKey = ApiKeys.newSecret();

    public Authentication(
            OrdersConfig config,
            CurrentCaller currentCaller,
            TenantService tenants,
            Rehearsal rehearsal,
            RequestTags tags) {
        this.config = config;
        this.currentCaller = currentCaller;
        this.tenants = tenants;
        this.rehearsal = rehearsal;
        this.tags = tags;
    }

    void checkAdminToken(@Observes StartupEvent event) {
        String token = config.adminToken().orElse("");
        if (LaunchMode.current() == LaunchMode.NORMAL
                && (token.length() < MIN_ADMIN_TOKEN_LENGTH || token.equals(OrdersConfig.DEV_ADMIN_TOKEN))) {
            throw new IllegalStateException("Refusing to start: set ORDERS_ADMIN_TOKEN (orders.admin-token) to a "
                    + "secret of at least " + MIN_ADMIN_TOKEN_LENGTH + " characters, e.g. `openssl rand -hex 24`; "
                    + "the documented dev token is not allowed in production.");
        }
    }

    @ServerRequestFilter
    void authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/admin")) {
            requireAdmin(bearer(request));
        } else if (path.startsWith("/orders")) {
            String key = bearer(request);
            OptionalInt slot = rehearsal.slot(key);
            if (slot.isPresent()) {
                // The warm-up's own request, before this instance takes traffic: a storefront of a dispensary
                // that exists only inside the rehearsal's transaction, counted nowhere.
                tags.markRehearsal();
                // The lookup every key takes (its hash, the index probe), for a key no row has: warm, and nothing
                // found.
                tenants.callerFor(unknownKey);
                int s = slot.getAsInt();
                currentCaller.set(new Caller(rehearsal.keyId(s), Role.STOREFRONT, rehearsal.dispensaryId(s), true));
                return;
            }
            currentCaller.set(
                    tenants.callerFor(key).orElseThrow(() -> unauthorized("The API key is unknown or revoked.")));
        }
    }

    private void requireAdmin(String token) {
        byte[] expected = config.adminToken().orElse("").getBytes(StandardCharsets.UTF_8);
        if (expected.length == 0 || !MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8))) {
            throw unauthorized("The admin token is wrong.");
        }
    }

    private static String bearer(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            throw unauthorized("Send Authorization: Bearer <key>.");
        }
        return header.substring(7).trim();
    }

    static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "unauthorized", "Unauthorized", detail).withHeader("WWW-Authenticate", "Bearer");
    }
}
