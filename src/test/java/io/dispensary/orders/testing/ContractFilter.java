package io.dispensary.orders.testing;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.restassured.RestAssuredRequest;
import com.atlassian.oai.validator.restassured.RestAssuredResponse;
import io.restassured.RestAssured;
import io.restassured.filter.FilterContext;
import io.restassured.filter.OrderedFilter;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Set;

/**
 * Holds every RestAssured exchange with the API to the OpenAPI document the service serves, so the document cannot
 * drift from behaviour: a status, header, field or media type that the document does not describe fails the test
 * that provoked it ({@link Contract} says what is checked). {@link ContractCallback} installs it before each
 * {@code @QuarkusTest} method. Tests that speak raw sockets or java.net.http are outside it.
 */
public final class ContractFilter implements OrderedFilter {

    /** The API the document describes; the management and /q endpoints are not part of it. */
    private static final Set<String> API_ROOTS = Set.of("orders", "admin");

    private static final ContractFilter INSTANCE = new ContractFilter();

    private volatile Contract contract;

    private ContractFilter() {}

    /** Adds the filter to RestAssured's defaults unless it is there already. */
    static void install() {
        if (!RestAssured.filters().contains(INSTANCE)) {
            RestAssured.filters(INSTANCE);
        }
    }

    @Override
    public int getOrder() {
        // Last in the chain: it sees the request as sent and the response as received.
        return OrderedFilter.LOWEST_PRECEDENCE;
    }

    @Override
    public Response filter(
            FilterableRequestSpecification request, FilterableResponseSpecification spec, FilterContext context) {
        Response response = context.next(request, spec);
        URI uri = URI.create(request.getURI());
        // Dot segments are removed first, as the server does (RFC 3986 5.2.4): /admin/dispensaries/.. is /admin/.
        String path = uri.normalize().getRawPath();
        String[] segments = path.replaceFirst("^/", "").split("/", 2);
        if (!API_ROOTS.contains(segments[0])) {
            return response;
        }
        Request.Method method = Request.Method.valueOf(request.getMethod().toUpperCase(Locale.ROOT));
        contract(uri)
                .violations(method, path, () -> RestAssuredRequest.of(request), RestAssuredResponse.of(response))
                .ifPresent(violations -> {
                    throw new AssertionError(violations);
                });
        return response;
    }

    /** Built once from the document the running service serves, not from the file: what clients get is checked. */
    private Contract contract(URI api) {
        Contract current = contract;
        if (current == null) {
            synchronized (this) {
                current = contract;
                if (current == null) {
                    current = new Contract(servedDocument(api));
                    contract = current;
                }
            }
        }
        return current;
    }

    private static String servedDocument(URI api) {
        URI document = api.resolve("/q/openapi");
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(document).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(document + " answered " + answer.statusCode());
            }
            return answer.body();
        } catch (IOException e) {
            throw new IllegalStateException("Could not read the OpenAPI document at " + document, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted reading " + document, e);
        }
    }
}
