package io.dispensary.orders.order;

import io.dispensary.orders.common.problem.ApiProblem;
import io.dispensary.orders.common.problem.Problem;
import io.dispensary.orders.numberspace.IssuedNumber;
import io.dispensary.orders.numberspace.NumberSpace;
import io.dispensary.orders.ordernumber.Namespace;
import io.dispensary.orders.ordernumber.OrderNumber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Creates and reads orders; each public method is one transaction. */
@ApplicationScoped
public class OrderService {

    private final NumberSpace numberSpace;
    private final Clock clock;

    public OrderService(NumberSpace numberSpace, Clock clock) {
        this.numberSpace = numberSpace;
        this.clock = clock;
    }

    /**
     * Stores a new PENDING order under the next number of its namespace. The sequence value is drawn inside
     * this transaction, so a failure after it burns one number and stores nothing.
     */
    @Transactional
    public OrderView create(CreateOrderRequest request) {
        checkDeliveryAddress(request);
        CustomerOrder order = new CustomerOrder();
        Namespace namespace = request.isTest() ? Namespace.TEST : Namespace.PRODUCTION;
        // PostgreSQL keeps microseconds: truncate so the response equals what a later read returns.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        order.test = request.isTest();
        order.dispensaryId = request.dispensaryId();
        order.status = OrderStatus.PENDING;
        order.fulfillment = request.fulfillment();
        CreateOrderRequest.Customer customer = request.customer();
        order.customerName = customer.name();
        order.customerPhone = customer.phone();
        order.customerEmail = customer.email();
        order.customerBirthDate = customer.birthDate();
        order.customerType = customer.type();
        if (request.deliveryAddress() != null) {
            CreateOrderRequest.DeliveryAddress address = request.deliveryAddress();
            order.deliveryLine1 = address.line1();
            order.deliveryLine2 = address.line2();
            order.deliveryCity = address.city();
            order.deliveryRegion = address.region();
            order.deliveryPostalCode = address.postalCode();
        }
        long total = 0;
        int lineNo = 0;
        for (CreateOrderRequest.Item item : request.items()) {
            OrderLine line = new OrderLine();
            line.order = order;
            line.lineNo = ++lineNo;
            line.sku = item.sku();
            line.name = item.name();
            line.category = item.category();
            line.quantity = item.quantity();
            line.unitPriceCents = item.unitPriceCents();
            line.netWeightGrams = item.netWeightGrams();
            line.thcMg = item.thcMg();
            // Bounded by validation (100 lines x 100 units x 10^8 cents), yet exact arithmetic costs nothing.
            line.lineTotalCents = Math.multiplyExact(item.unitPriceCents(), (long) item.quantity());
            total = Math.addExact(total, line.lineTotalCents);
            order.lines.add(line);
        }
        order.totalCents = total;
        order.createdAt = now;
        order.updatedAt = now;

        IssuedNumber issued = numberSpace.allocate(namespace);
        order.orderNumber = issued.number().text();
        order.numberDigits = issued.number().digits();
        order.sequenceValue = issued.sequenceValue();
        order.persist();
        return OrderView.of(order);
    }

    /** The order with this number; the number is checked (shape and check digit) before the database is asked. */
    @Transactional
    public OrderView get(String orderNumber) {
        OrderNumber number = numberSpace.codec().parse(orderNumber);
        return CustomerOrder.findByNumber(number.text())
                .map(OrderView::of)
                .orElseThrow(() -> ApiProblem.notFound("There is no order " + orderNumber + "."));
    }

    private static void checkDeliveryAddress(CreateOrderRequest request) {
        List<Problem.Violation> violations = new ArrayList<>();
        if (request.fulfillment() == Fulfillment.DELIVERY && request.deliveryAddress() == null) {
            violations.add(new Problem.Violation("deliveryAddress", "is required for DELIVERY"));
        }
        if (request.fulfillment() == Fulfillment.PICKUP && request.deliveryAddress() != null) {
            violations.add(new Problem.Violation("deliveryAddress", "must be absent for PICKUP"));
        }
        if (!violations.isEmpty()) {
            throw ApiProblem.validation(violations);
        }
    }
}
