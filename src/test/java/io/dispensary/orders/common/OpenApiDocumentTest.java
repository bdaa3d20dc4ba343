package io.dispensary.orders.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Storefront developers build against the OpenAPI document: it must name every status and header we answer. */
@QuarkusTest
class OpenApiDocumentTest {

    private static final Map<String, List<String>> STATUSES = Map.of(
            "post /orders", List.of("201", "400", "401", "403", "409", "413", "415", "422", "503"),
            "get /orders", List.of("200", "400", "401", "403", "503"),
            "get /orders/{orderNumber}", List.of("200", "400", "401", "404", "503"),
            "post /orders/{orderNumber}/transitions", List.of("200", "400", "401", "404", "409", "412", "503"),
            "put /admin/dispensaries/{dispensaryId}", List.of("200", "201", "400", "401", "503"),
            "get /admin/dispensaries/{dispensaryId}", List.of("200", "401", "404", "503"),
            "post /admin/api-keys", List.of("201", "400", "401", "422", "503"),
            "delete /admin/api-keys/{keyId}", List.of("204", "401", "404", "503"));

    @Test
    void describesEveryEndpointWithItsStatusCodes() {
        JsonPath document = document();
        STATUSES.forEach((operation, statuses) -> {
            String[] methodAndPath = operation.split(" ");
            Map<String, Object> responses =
                    document.getMap("paths.'" + methodAndPath[1] + "'." + methodAndPath[0] + ".responses");
            assertThat(responses).as(operation).isNotNull();
            assertThat(responses.keySet()).as(operation).containsAll(statuses);
        });
    }

    @Test
    void describesTheHeadersClientsSendAndRead() {
        JsonPath document = document();
        String create = "paths.'/orders'.post";
        assertThat(document.getList(create + ".parameters.name", String.class)).contains("Idempotency-Key");
        assertThat(document.getMap(create + ".responses.'201'.headers").keySet())
                .contains("Location", "ETag", "Idempotent-Replayed");
        assertThat(document.getMap(create + ".responses.'503'.headers").keySet())
                .contains("Retry-After");
        assertThat(document.getMap(create + ".responses.'409'.headers").keySet())
                .contains("Retry-After");
        assertThat(document.getMap(create + ".responses.'401'.headers").keySet())
                .contains("WWW-Authenticate");
        String transition = "paths.'/orders/{orderNumber}/transitions'.post";
        assertThat(document.getList(transition + ".parameters.name", String.class))
                .contains("If-Match");
        assertThat(document.getMap("paths.'/orders/{orderNumber}'.get.responses.'200'.headers")
                        .keySet())
                .contains("ETag");
        assertThat(document.getList("paths.'/orders'.get.parameters.name", String.class))
                .contains(
                        "dispensaryId", "status", "fulfillment", "test", "createdFrom", "createdTo", "limit", "cursor");
    }

    @Test
    void declaresTheBearerScheme() {
        assertThat(document().getString("components.securitySchemes.bearer.scheme"))
                .isEqualTo("bearer");
    }

    private static JsonPath document() {
        return given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
