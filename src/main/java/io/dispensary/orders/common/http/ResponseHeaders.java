package io.dispensary.orders.common.http;

import io.dispensary.orders.common.problem.Problem;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.Locale;

/**
 * Headers every API response carries, set as its head is written, so that answers of route handlers (the body-size
 * guard, admission control), of resources and of exception mappers all get them:
 * <ul>
 * <li>{@code Cache-Control: no-store}: orders hold names, birth dates and addresses, and a new API key is shown
 * once; no browser or proxy may keep a copy, of an error either;
 * <li>one form of each JSON media type: {@code application/json} and {@code application/problem+json}, without
 * the {@code charset} parameter Quarkus REST adds to some and not others (RFC 8259 defines none: JSON is UTF-8).
 * </ul>
 * The OpenAPI document and Swagger UI under {@code /q/} hold no personal data and stay cacheable.
 */
@ApplicationScoped
public class ResponseHeaders {

    static final String JSON = "application/json";

    void install(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) Router router) {
        // The first route of all (registered before the other MIN_VALUE routes), so no answer escapes it.
        router.route().order(Integer.MIN_VALUE).handler(this::onHeadersEnd);
    }

    void onHeadersEnd(RoutingContext context) {
        if (!context.normalizedPath().startsWith("/q/")) {
            context.addHeadersEndHandler(ended -> apply(context.response().headers()));
        }
        context.next();
    }

    static void apply(MultiMap headers) {
        headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
        String type = headers.get(HttpHeaders.CONTENT_TYPE);
        if (type != null) {
            String base = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (base.equals(JSON) || base.equals(Problem.MEDIA_TYPE)) {
                headers.set(HttpHeaders.CONTENT_TYPE, base);
            }
        }
    }
}
