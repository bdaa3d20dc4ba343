package io.dispensary.orders.tenant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dispensary.orders.common.problem.ApiProblem;
import io.dispensary.orders.common.problem.Problem;
import io.dispensary.orders.order.CustomerType;
import io.dispensary.orders.order.Fulfillment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** Dispensaries and API keys: what the admin API changes and what order handling reads. */
@ApplicationScoped
public class TenantService {

    private static final TypeReference<Set<Fulfillment>> FULFILLMENT = new TypeReference<>() {
    };
    private static final TypeReference<Map<CustomerType, PurchaseLimit>> PURCHASE_LIMITS = new TypeReference<>() {
    };

    private final Clock clock;
    private final DataSource dataSource;
    private final ObjectMapper json;

    public TenantService(Clock clock, DataSource dataSource, ObjectMapper json) {
        this.clock = clock;
        this.dataSource = dataSource;
        this.json = json;
    }

    /**
     * The caller an API key authenticates, if the key exists and is not revoked. Every API request asks, so a
     * revoked key stops working at once on every instance; one index probe in plain JDBC, without an ORM session,
     * since it runs as often as requests come.
     */
    public Optional<Caller> callerFor(String secret) {
        if (!ApiKeys.looksLikeKey(secret)) {
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement find = connection.prepareStatement(
                        "SELECT id, role, dispensary_id FROM api_key WHERE key_hash = ? AND revoked_at IS NULL")) {
            find.setString(1, ApiKeys.hash(secret));
            try (ResultSet row = find.executeQuery()) {
                return row.next()
                        ? Optional.of(new Caller(row.getString(1), Role.valueOf(row.getString(2)), row.getString(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not look up the API key", e);
        }
    }

    /** The result of an upsert: the dispensary and whether it is new. */
    public record Upserted(DispensaryView dispensary, boolean created) {
    }

    @Transactional
    public Upserted upsertDispensary(String id, DispensaryRequest request) {
        // Region ids of the time-zone database only: ZoneId.of also takes fixed offsets ("-08:00", "UTC-08:00"),
        // which ignore daylight saving, so the customer's age would be checked against the wrong midnight.
        if (!ZoneId.getAvailableZoneIds().contains(request.timezone())) {
            throw ApiProblem.validation(List.of(new Problem.Violation("timezone",
                    "must be an IANA time zone such as America/Los_Angeles")));
        }
        // Two PUTs of one dispensary at once are applied one after the other. Without the lock both could find no
        // row and insert it (a duplicate key), or update the same version (an optimistic-lock failure): a 500.
        Dispensary.getEntityManager()
                .createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(:name, 0))")
                .setParameter("name", "dispensary:" + id)
                .getSingleResult();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Dispensary dispensary = Dispensary.findById(id);
        boolean created = dispensary == null;
        if (created) {
            dispensary = new Dispensary();
            dispensary.id = id;
            dispensary.createdAt = now;
        }
        dispensary.name = request.name();
        dispensary.timezone = request.timezone();
        dispensary.fulfillment = EnumSet.copyOf(request.fulfillment());
        dispensary.minimumAge = request.minimumAge();
        dispensary.purchaseLimits = request.purchaseLimits() == null ? Map.of() : Map.copyOf(request.purchaseLimits());
        dispensary.updatedAt = now;
        if (created) {
            dispensary.persist();
        }
        return new Upserted(DispensaryView.of(dispensary), created);
    }

    @Transactional
    public Optional<DispensaryView> findDispensary(String id) {
        return Dispensary.<Dispensary>findByIdOptional(id).map(DispensaryView::of);
    }

    /**
     * The compliance rules of the dispensary an order names, read fresh for each order, so an admin's change
     * applies to the next order on every instance. Plain JDBC, like the rest of create-order's statements.
     */
    public Optional<DispensaryRules> rules(String id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement find = connection.prepareStatement(
                        "SELECT timezone, fulfillment, minimum_age, purchase_limits FROM dispensary WHERE id = ?")) {
            find.setString(1, id);
            try (ResultSet row = find.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                Set<Fulfillment> fulfillment = json.readValue(row.getString(2), FULFILLMENT);
                return Optional.of(new DispensaryRules(id, row.getString(1),
                        // In declaration order, so messages that list them read the same every time.
                        fulfillment.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(fulfillment)),
                        row.getInt(3), Map.copyOf(json.readValue(row.getString(4), PURCHASE_LIMITS))));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not read dispensary " + id, e);
        }
    }

    @Transactional
    public ApiKeyCreated createApiKey(ApiKeyRequest request) {
        if (request.role() == Role.STOREFRONT) {
            if (request.dispensaryId() == null) {
                throw ApiProblem.validation(List.of(
                        new Problem.Violation("dispensaryId", "is required for a STOREFRONT key")));
            }
            if (Dispensary.findById(request.dispensaryId()) == null) {
                throw new ApiProblem(422, "unknown-dispensary", "Unknown dispensary",
                        "There is no dispensary " + request.dispensaryId() + "; create it first.");
            }
        } else if (request.dispensaryId() != null) {
            throw ApiProblem.validation(List.of(
                    new Problem.Violation("dispensaryId", "must be absent for an INTERNAL key")));
        }
        String secret = ApiKeys.newSecret();
        ApiKey key = new ApiKey();
        key.id = ApiKeys.newId();
        key.keyHash = ApiKeys.hash(secret);
        key.role = request.role();
        key.dispensaryId = request.dispensaryId();
        key.createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        key.persist();
        return new ApiKeyCreated(key.id, secret, key.role, key.dispensaryId);
    }

    /** Revokes a key at once; revoking it again changes nothing. */
    @Transactional
    public void revokeApiKey(String keyId) {
        ApiKey key = ApiKey.findById(keyId);
        if (key == null) {
            throw ApiProblem.notFound("There is no API key " + keyId + ".");
        }
        if (key.revokedAt == null) {
            key.revokedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        }
    }
}
