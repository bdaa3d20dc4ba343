package io.dispensary.orders.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract check can fail: each rule of {@link Contract} refuses what it should, against the real document. */
class ContractTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String ORDER = """
            {"orderNumber": "046076217", "status": "PENDING", "test": false, "dispensaryId": "demo-dispensary",
             "customer": {"name": "Ada", "phone": "+14155550123", "birthDate": "1990-12-10", "type": "RECREATIONAL"},
             "fulfillment": "PICKUP",
             "items": [{"sku": "FL", "name": "OG", "category": "FLOWER", "quantity": 1, "unitPriceCents": 3500,
                        "lineTotalCents": 3500}],
             "totalCents": 3500, "createdAt": "2026-12-02T10:00:00Z", "updatedAt": "2026-12-02T10:00:00Z",
             "version": 0, "history": [{"to": "PENDING", "at": "2026-12-02T10:00:00Z", "by": "key_1"}]}""";

    private static Contract contract;

    @BeforeAll
    static void readTheDocument() throws IOException {
        try (InputStream in = ContractTest.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            contract = new Contract(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aDocumentedAnswerPasses() {
        assertThat(get("/orders/046076217", ok(ORDER))).isEmpty();
    }

    @Test
    void aFieldTheDocumentDoesNotNameFails() {
        assertThat(get("/orders/046076217", ok(ORDER.replace("\"version\": 0", "\"version\": 0, \"rowId\": 7"))))
                .hasValueSatisfying(v -> assertThat(v).contains("rowId"));
    }

    @Test
    void aNullWhereTheDocumentSaysStringFails() {
        assertThat(get(
                        "/orders/046076217",
                        ok(ORDER.replace("\"dispensaryId\": \"demo-dispensary\"", "\"dispensaryId\": null"))))
                .isPresent();
    }

    @Test
    void aStatusTheOperationDoesNotListFails() {
        assertThat(get(
                        "/orders/046076217",
                        answer(500, PROBLEM, "{\"type\": \"/problems/internal\", \"title\": \"x\", \"status\": 500}")))
                .hasValueSatisfying(v -> assertThat(v).contains("500"));
    }

    @Test
    void aProblemWithoutItsRequiredMembersFails() {
        assertThat(get("/orders/046076217", answer(404, PROBLEM, "{\"detail\": \"no\"}")))
                .isPresent();
    }

    @Test
    void aPathOutsideTheDocumentMustBeA404Problem() {
        assertThat(get(
                        "/orders/1/2/3",
                        answer(
                                404,
                                PROBLEM,
                                "{\"type\": \"/problems/not-found\", \"title\": \"Not Found\", \"status\": 404}")))
                .isEmpty();
        assertThat(get("/orders/1/2/3", answer(200, "application/json", "{}"))).isPresent();
    }

    @Test
    void anAcceptedRequestTheDocumentRefusesFails() {
        Request refused = SimpleRequest.Builder.post("/orders/046076217/transitions")
                .withContentType("application/json")
                .withAuthorization("Bearer dsk_x")
                .withBody("{\"to\": \"SHIPPED\"}")
                .build();
        assertThat(contract.violations(Request.Method.POST, "/orders/046076217/transitions", () -> refused, ok(ORDER)))
                .hasValueSatisfying(v -> assertThat(v).contains("request"));
    }

    private static java.util.Optional<String> get(String path, com.atlassian.oai.validator.model.Response response) {
        Request request = SimpleRequest.Builder.get(path)
                .withAuthorization("Bearer dsk_x")
                .build();
        return contract.violations(Request.Method.GET, path, () -> request, response);
    }

    private static com.atlassian.oai.validator.model.Response ok(String body) {
        return SimpleResponse.Builder.ok()
                .withContentType("application/json")
                .withHeader("ETag", "\"0\"")
                .withHeader("Cache-Control", "no-store")
                .withBody(body)
                .build();
    }

    private static com.atlassian.oai.validator.model.Response answer(int status, String type, String body) {
        return SimpleResponse.Builder.status(status)
                .withContentType(type)
                .withHeader("Cache-Control", "no-store")
                .withBody(body)
                .build();
    }
}
