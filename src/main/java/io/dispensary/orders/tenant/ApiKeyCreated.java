package io.dispensary.orders.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A new API key: the only response that ever contains {@code apiKey}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyCreated(String keyId, String apiKey, Role role, String dispensaryId) {}
