package io.dispensary.orders.order;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dispensary.orders.common.Masking;
import io.dispensary.orders.common.database.DatabaseFault;
import io.dispensary.orders.common.database.Write;
import io.dispensary.orders.common.database.Writes;
import io.dispensary.orders.common.problem.ApiProblem;
import io.dispensary.orders.common.problem.Problem;
import io.dispensary.orders.idempotency.IdempotencyStore;
import io.dispensary.orders.idempotency.RequestFingerprint;
import io.dispensary.orders.numberspace.IssuedNumber;
import io.dispensary.orders.numberspace.NumberSpace;
import io.dispensary.orders.ordernumber.MalformedOrderNumberException;
import io.dispensary.orders.ordernumber.Namespace;
import io.dispensary.orders.ordernumber.OrderNumber;
import io.dispensary.orders.tenant.Caller;
import io.dispensary.orders.tenant.DispensaryRules;
import io.dispensary.orders.tenant.Fulfillment;
import io.dispensary.orders.tenant.TenantService;
import io.dispensary.orders.webhook.OrderEvent;
import io.dispensary.orders.webhook.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/** Creates, reads, lists and moves orders; each public method is one transaction. */
@ApplicationScoped
public class OrderService {

    private static final Logger LOG = Logger.getLogger(OrderService.class);

    private final NumberSpace numberSpace;
    private final OrderStore store;
    private final TenantService tenants;
    private final IdempotencyStore idempotency;
    private final Outbox outbox;
    private final Writes writes;
    private final ObjectMapper json;
    private final Clock clock;
    /**
     * Seals listing cursors (AES-256-GCM); derived from the order-number key, so every instance accepts every
     * cursor. A label of its own: the key that signed the readable v2 cursors is not reused to encrypt.
     */
    private final byte[] cursorKey;

    public OrderService(
            NumberSpace numberSpace,
            OrderStore store,
            TenantService tenants,
            IdempotencyStore idempotency,
            Outbox outbox,
            Writes writes,
            ObjectMapper json,
            Clock clock) {
        this.numberSpace = numberSpace;
        this.store = store;
        this.tenants = tenants;
        this.idempotency = idempotency;
        this.outbox = outbox;
        this.writes = writes;
        this.json = json;
        this.clock = clock;
        this.cursorKey = numberSpace.derivedKey("listing-cursor/aes-gcm/v3");
    }

    /**
     * The answer to a create: the order's number and version, and the exact JSON body, which an idempotent
     * replay repeats byte for byte.
     */
    public record Created(String orderNumber, int version, String body, boolean replayed) {}

    /**
     * Stores a new PENDING order under the next number of its namespace. With an idempotency key, the key is
     * claimed first and the response stored with the order, in this one transaction: a duplicate in flight is a
     * 409, a replay returns the stored response, and a failure leaves neither order nor key. The sequence value
     * is drawn after every check, so a refused order burns no number.
     */
    public Created create(CreateOrderRequest request, Caller caller, String idempotencyKey) {
        if (caller.rehearsal()) {
            return rehearse(request, caller, idempotencyKey);
        }
        Attempt attempt = new Attempt();
        Created created;
        try {
            // A transaction of its own, so that what is logged below has been committed.
            created = QuarkusTransaction.requiringNew().call(() -> create(request, caller, idempotencyKey, attempt));
        } catch (RuntimeException e) {
            if (attempt.number != null) {
                if (e instanceof QuarkusTransactionException) {
                    LOG.warnf(
                            "Order %s was not acknowledged: its commit failed (%s). If PostgreSQL committed it"
                                    + " all the same, a retry with the same Idempotency-Key returns it.",
                            attempt.number, DatabaseFault.message(e));
                } else {
                    // Nothing was acknowledged and nothing stored: the refusal or the outage is logged where it is
                    // answered (once per interval for an outage), not once per order.
                    LOG.debugf(
                            "Order %s was not created: its transaction rolled back (%s)",
                            attempt.number, DatabaseFault.message(e));
                }
            }
            throw e;
        }
        if (!created.replayed()) {
            LOG.infof(
                    "Created order %s for %s by %s: %s",
                    created.orderNumber(), request.dispensaryId(), caller.keyId(), attempt.summary);
        }
        return created;
    }

    /**
     * A create of the warm-up (a {@link Caller#rehearsal() rehearsal} caller): every step a create takes, on the
     * same code and statements, with its dispensary and key staged in the same transaction, then the order read
     * back as a storefront does, and all of it rolled back. Its number costs no sequence value; it is logged
     * nowhere. Any failure is answered as it would be for a real order.
     */
    private Created rehearse(CreateOrderRequest request, Caller caller, String idempotencyKey) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                tenants.stageRehearsal(caller);
                Created created = create(request, caller, idempotencyKey, new Attempt());
                get(created.orderNumber(), caller);
                throw new Rehearsed(created);
            });
        } catch (Rehearsed rehearsed) {
            return rehearsed.created;
        }
        throw new IllegalStateException("a rehearsal always rolls back");
    }

    /** Ends a rehearsal's transaction with a rollback, carrying what it answers. */
    private static final class Rehearsed extends RuntimeException {
        private final transient Created created;

        Rehearsed(Created created) {
            super(null, null, false, false);
            this.created = created;
        }
    }

    /** What a create got as far as, for the line logged once its transaction has ended. */
    private static final class Attempt {
        private String number;
        private String summary;
    }

    private Created create(CreateOrderRequest request, Caller caller, String idempotencyKey, Attempt attempt) {
        IdempotencyStore.Claimed claim = null;
        if (idempotencyKey != null) {
            IdempotencyStore.Claim found =
                    idempotency.claim(caller.keyId(), idempotencyKey, RequestFingerprint.of(request));
            if (found instanceof IdempotencyStore.Replay replay) {
                return new Created(replay.orderNumber(), 0, replay.body(), true);
            }
            if (found instanceof IdempotencyStore.InFlight) {
                throw new ApiProblem(
                                409,
                                "idempotency-key-in-use",
                                "Idempotency key in use",
                                "A request with this Idempotency-Key is still being processed; retry shortly.")
                        .retryAfter(java.time.Duration.ofSeconds(1));
            }
            if (found instanceof IdempotencyStore.Mismatch) {
                throw new ApiProblem(
                        422,
                        "idempotency-key-reused",
                        "Idempotency key reused",
                        "This Idempotency-Key was used with another request body; use a new key for a new order.");
            }
            claim = (IdempotencyStore.Claimed) found;
        }
        authorizeCreate(request, caller);
        checkDeliveryAddress(request);
        DispensaryRules dispensary = tenants.rules(request.dispensaryId(), caller)
                .orElseThrow(() -> new ApiProblem(
                        422,
                        "unknown-dispensary",
                        "Unknown dispensary",
                        "There is no dispensary " + request.dispensaryId() + "."));
        Compliance.check(request, dispensary, clock);

        CustomerOrder order = newOrder(request);
        Namespace namespace = request.isTest() ? Namespace.TEST : Namespace.PRODUCTION;
        IssuedNumber issued =
                caller.rehearsal() ? numberSpace.rehearsalNumber(namespace) : numberSpace.allocate(namespace);
        order.orderNumber = issued.number().text();
        order.numberDigits = issued.number().digits();
        order.sequenceValue = issued.sequenceValue();
        attempt.number = order.orderNumber;
        OrderTransition created = transition(null, OrderStatus.PENDING, null, caller, order.createdAt);
        OrderView view = OrderView.of(order, List.of(created));
        String body = write(view);
        // The order, its event and the stored response in one round trip and this one transaction: no order
        // without its event or its key's response, and none of them for an order refused or rolled back.
        List<Write> creation = new ArrayList<>(3);
        creation.add(store.insertion(order, created));
        creation.add(outbox.recording(OrderEvent.created(
                order.orderNumber,
                order.dispensaryId,
                order.status.name(),
                order.version,
                order.test,
                order.createdAt)));
        if (claim != null) {
            creation.add(idempotency.completion(claim, 201, body, view.orderNumber()));
        }
        writes.send(creation);
        attempt.summary = String.format(
                "%d items, %d cents, customer %s %s born %s",
                order.lines.size(),
                order.totalCents,
                Masking.phone(order.customerPhone),
                Masking.email(order.customerEmail),
                Masking.birthDate(order.customerBirthDate));
        return new Created(view.orderNumber(), view.version(), body, false);
    }

    /**
     * The order with this number, if the caller may see it. The number is checked (shape and check digit)
     * before the database is asked; another dispensary's order is as missing as one that does not exist.
     */
    @Transactional
    public OrderView get(String orderNumber, Caller caller) {
        CustomerOrder order = visibleOrder(orderNumber, caller, false);
        return OrderView.of(order, store.history(order.id));
    }

    /** Moves an order to its next status, if the lifecycle allows it and {@code If-Match} (if sent) is current. */
    @Transactional
    public OrderView transition(String orderNumber, TransitionRequest request, Integer expectedVersion, Caller caller) {
        // Row lock: a concurrent transition waits, then sees the new version and status.
        CustomerOrder order = visibleOrder(orderNumber, caller, true);
        if (expectedVersion != null && expectedVersion != order.version) {
            throw new ApiProblem(
                            412,
                            "stale-version",
                            "Precondition failed",
                            "The order has changed since version " + expectedVersion + "; it is at version "
                                    + order.version + ". Read it again.")
                    .withHeader("ETag", OrderView.etag(order.version));
        }
        Set<OrderStatus> allowed = Lifecycle.allowed(order.status, order.fulfillment);
        if (!allowed.contains(request.to())) {
            throw new ApiProblem(
                            409,
                            "illegal-transition",
                            "Illegal transition",
                            "A " + order.fulfillment + " order cannot go from " + order.status + " to " + request.to()
                                    + (allowed.isEmpty() ? "; it is final." : "; allowed: " + allowed + "."))
                    .withExtension("allowed", allowed);
        }
        if (Lifecycle.needsReason(request.to())
                && (request.reason() == null || request.reason().isBlank())) {
            throw ApiProblem.validation(List.of(new Problem.Violation("reason", "is required to cancel")));
        }
        Instant now = OrderTransition.after(order.updatedAt, clock.instant());
        OrderStatus from = order.status;
        order.status = request.to();
        order.updatedAt = now;
        store.recordTransition(order, transition(from, request.to(), request.reason(), caller, now));
        outbox.record(OrderEvent.statusChanged(
                order.orderNumber,
                order.dispensaryId,
                from.name(),
                order.status.name(),
                order.version,
                order.test,
                now));
        return OrderView.of(order, store.history(order.id));
    }

    /** One page of a keyset listing, newest first. */
    @Transactional
    public OrderPage list(OrderQuery query, Caller caller) {
        Cursor after = query.cursor() == null ? null : Cursor.decode(query.cursor(), cursorKey);
        String dispensaryId = query.dispensaryId() != null ? query.dispensaryId() : caller.dispensaryId();
        if (dispensaryId == null) {
            throw ApiProblem.validation(
                    List.of(new Problem.Violation("dispensaryId", "is required for INTERNAL keys")));
        }
        if (!caller.mayAccess(dispensaryId)) {
            throw new ApiProblem(403, "forbidden", "Forbidden", "This key may list only its own dispensary's orders.");
        }
        if (query.test() && !caller.isInternal()) {
            throw testOrdersAreStaffOnly();
        }
        // One row more than the page tells whether another page follows.
        List<CustomerOrder> rows = store.page(dispensaryId, query, after, query.limit() + 1);
        boolean more = rows.size() > query.limit();
        List<CustomerOrder> page = more ? rows.subList(0, query.limit()) : rows;
        String next = more ? Cursor.of(page.get(page.size() - 1)).encode(cursorKey) : null;
        return new OrderPage(page.stream().map(OrderSummary::of).toList(), next);
    }

    /**
     * {@code forUpdate}: with the row lock, for a lifecycle step. A storefront's lookup names its dispensary in the
     * query (OrderStore#find), so another dispensary's order costs what a missing one does.
     */
    private CustomerOrder visibleOrder(String orderNumber, Caller caller, boolean forUpdate) {
        OrderNumber number;
        try {
            number = numberSpace.codec().parse(orderNumber);
        } catch (MalformedOrderNumberException e) {
            // ordernumber depends on nothing of the service, so its exception is given its problem here.
            throw new ApiProblem(400, "malformed-order-number", "Malformed order number", e.getMessage());
        }
        // Told by the number's -T alone, before any lookup: the 403 says nothing of whether the order exists.
        if (number.namespace() == Namespace.TEST && !caller.isInternal()) {
            throw testOrdersAreStaffOnly();
        }
        String dispensaryId = caller.isInternal() ? null : caller.dispensaryId();
        return (forUpdate ? store.findForUpdate(number.text(), dispensaryId) : store.find(number.text(), dispensaryId))
                .orElseThrow(() -> ApiProblem.notFound("There is no order " + orderNumber + "."));
    }

    /**
     * Test orders are staff-only end to end: a storefront key creates, reads, lists and moves none, its own
     * dispensary's included, and each attempt gets this one problem.
     */
    private static ApiProblem testOrdersAreStaffOnly() {
        return new ApiProblem(
                403,
                "forbidden",
                "Forbidden",
                "Test orders are staff-only: only INTERNAL keys create, read, list or move them.");
    }

    private static void authorizeCreate(CreateOrderRequest request, Caller caller) {
        if (request.isTest() && !caller.isInternal()) {
            throw testOrdersAreStaffOnly();
        }
        if (!caller.mayAccess(request.dispensaryId())) {
            throw new ApiProblem(
                    403,
                    "forbidden",
                    "Forbidden",
                    "This key creates orders only for dispensary " + caller.dispensaryId() + ".");
        }
    }

    private CustomerOrder newOrder(CreateOrderRequest request) {
        CustomerOrder order = new CustomerOrder();
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
            line.lineNo = ++lineNo;
            line.sku = item.sku();
            line.name = item.name();
            line.category = item.category();
            line.quantity = item.quantity();
            line.unitPriceCents = item.unitPriceCents();
            // As sent; OrderView writes every measure in one form, whatever scale it was read with.
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
        return order;
    }

    private static OrderTransition transition(
            OrderStatus from, OrderStatus to, String reason, Caller caller, Instant at) {
        OrderTransition transition = new OrderTransition();
        transition.fromStatus = from;
        transition.toStatus = to;
        transition.reason = reason;
        transition.apiKeyId = caller.keyId();
        transition.at = at;
        return transition;
    }

    private String write(OrderView view) {
        try {
            return json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the order", e);
        }
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
