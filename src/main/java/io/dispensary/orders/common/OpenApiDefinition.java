package io.dispensary.orders.common;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The OpenAPI document's header and the bearer scheme that API keys and the admin token use. */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Dispensary order service",
                        version = "1.0",
                        description =
                                "Orders with short FF1 order numbers for dispensary storefronts. Every /orders call needs "
                                        + "Authorization: Bearer <API key>; /admin calls need the admin token. Errors are RFC 9457 "
                                        + "application/problem+json. Retrying: a 503 (overload, a database outage or failover) or a "
                                        + "connection error is retried with the same Idempotency-Key after Retry-After seconds (1 s when "
                                        + "absent), for at least 30 s in all; a 4xx other than 409 does not change by retrying."))
@SecurityScheme(
        securitySchemeName = "bearer",
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        description = "An API key (dsk_...) for /orders, the admin token for /admin")
public class OpenApiDefinition extends Application {}
