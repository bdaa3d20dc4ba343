package io.dispensary.orders.testing;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;

/**
 * Puts {@link ContractFilter} in front of every {@code @QuarkusTest} method, so no test class can forget it. It runs
 * inside the test's class loader, where the test's RestAssured lives (registered in META-INF/services).
 */
public class ContractCallback implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        ContractFilter.install();
    }
}
