package io.dispensary.orders.webhook;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With private targets refused, as in production, a subscription to an internal address is a 422 and stores nothing. */
@QuarkusTest
@TestProfile(WebhookTargetPolicyTest.AsInProduction.class)
class WebhookTargetPolicyTest {

    public static class AsInProduction implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("orders.webhooks.allow-private-targets", "false");
        }
    }

    private static final Tenants TENANTS = Tenants.local();

    @Test
    void loopbackLinkLocalAndPrivateTargetsAreRefusedWith422() throws Exception {
        String dispensary = TENANTS.newDispensary();
        for (String url : List.of(
                "http://127.0.0.1:8080/hook",
                "http://localhost/hook",
                "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.7/hook",
                "http://[::1]/hook")) {
            TENANTS.admin()
                    .contentType(ContentType.JSON)
                    .body(Map.of("dispensaryId", dispensary, "url", url, "events", List.of("order.created")))
                    .post("/admin/webhooks")
                    .then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("type", endsWith("/problems/webhook-target-refused"))
                    .body("detail", containsString("allow-private-targets"));
        }
        org.assertj.core.api.Assertions.assertThat(
                        Database.count("SELECT count(*) FROM webhook_subscription WHERE dispensary_id = ?", dispensary))
                .isZero();
    }
}
