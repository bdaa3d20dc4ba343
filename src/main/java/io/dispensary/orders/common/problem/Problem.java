package io.dispensary.orders.common.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem details body. {@code type} is a URI reference relative to the service, e.g.
 * {@code /problems/order-numbers-exhausted}; {@code violations} lists field errors of a validation problem;
 * extension members (such as {@code allowed} on an illegal transition) sit at the top level, as the RFC says.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance", "violations"})
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_PREFIX = "/problems/";

    private final String type;
    private final String title;
    private final int status;
    private final String detail;
    private final String instance;
    private final List<Violation> violations;
    private final Map<String, Object> extensions;

    Problem(
            String slug,
            String title,
            int status,
            String detail,
            String instance,
            List<Violation> violations,
            Map<String, Object> extensions) {
        this.type = TYPE_PREFIX + slug;
        this.title = title;
        this.status = status;
        this.detail = detail;
        this.instance = instance;
        this.violations = violations;
        this.extensions = extensions == null ? Map.of() : extensions;
    }

    /**
     * One field that failed validation; {@code field} is a JSON path such as {@code items[0].quantity}. A
     * purchase-limit violation also names the limit's category, the limit and the order's amount.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Violation(
            String field, String message, String category, java.math.BigDecimal limit, java.math.BigDecimal amount) {

        public Violation(String field, String message) {
            this(field, message, null, null, null);
        }
    }

    public String getType() {
        return type;
    }

    public String getTitle() {
        return title;
    }

    public int getStatus() {
        return status;
    }

    public String getDetail() {
        return detail;
    }

    public String getInstance() {
        return instance;
    }

    public List<Violation> getViolations() {
        return violations;
    }

    @JsonAnyGetter
    public Map<String, Object> getExtensions() {
        return extensions;
    }
}
