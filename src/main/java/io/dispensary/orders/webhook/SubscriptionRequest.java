package io.dispensary.orders.webhook;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** {@code POST /admin/webhooks}: where to send which events of one dispensary. */
public record SubscriptionRequest(
        @NotNull @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "must be 1 to 64 of A-Z, a-z, 0-9, _ and -")
        String dispensaryId,

        @NotNull @Size(max = TargetPolicy.MAX_URL_LENGTH) String url,
        @NotNull @Size(min = 1, max = 10) List<@NotNull String> events,
        Boolean includeTest) {

    boolean wantsTest() {
        return Boolean.TRUE.equals(includeTest);
    }
}
