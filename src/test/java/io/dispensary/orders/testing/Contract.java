package io.dispensary.orders.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.report.ValidationReport;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The rule every exchange with the API is held to (ContractFilter applies it to the suite's RestAssured calls):
 *
 * <ul>
 *   <li>the response matches the document: its status is listed for the operation, with its media type, headers
 *       and body schema;
 *   <li>a request the service accepted (2xx) matches the document too, or the document refuses what the service
 *       does. Requests it refused are the suite's hostile input, made to break the document's rules;
 *   <li>a method or path the document does not name is answered 404 or 405 as problem+json.
 * </ul>
 */
public final class Contract {

    private final OpenApiInteractionValidator validator;

    public Contract(String document) {
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(document)
                .build();
    }

    /** What is wrong with this exchange, if anything. {@code path} is the raw path without dot segments. */
    public Optional<String> violations(
            Request.Method method, String path, Supplier<Request> request, Response response) {
        ValidationReport answer = validator.validateResponse(path, method, response);
        boolean undocumented = answer.getMessages().stream()
                .anyMatch(
                        m -> m.getKey().endsWith(".path.missing") || m.getKey().endsWith(".operation.notAllowed"));
        if (undocumented) {
            boolean problem = response.getContentType()
                    .map(type -> type.startsWith("application/problem+json"))
                    .orElse(false);
            return (response.getStatus() == 404 || response.getStatus() == 405) && problem
                    ? Optional.empty()
                    : Optional.of(method + " " + path + " is not in the OpenAPI document, so it must answer 404 or 405"
                            + " problem+json; it answered " + response.getStatus() + " "
                            + response.getContentType().orElse("without a Content-Type"));
        }
        Optional<String> wrong = errors("response", answer);
        if (wrong.isEmpty() && response.getStatus() >= 200 && response.getStatus() < 300) {
            wrong = errors("request", validator.validateRequest(request.get()));
        }
        return wrong.map(messages -> "The " + messages.split("\n", 2)[0] + " of " + method + " " + path + " (answered "
                + response.getStatus() + ") does not match the OpenAPI document (META-INF/openapi.yaml):\n"
                + messages.split("\n", 2)[1]);
    }

    private static Optional<String> errors(String what, ValidationReport report) {
        if (!report.hasErrors()) {
            return Optional.empty();
        }
        return Optional.of(what + "\n"
                + report.getMessages().stream()
                        .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                        .map(m -> "  - [" + m.getKey() + "] " + m.getMessage())
                        .collect(Collectors.joining("\n")));
    }
}
