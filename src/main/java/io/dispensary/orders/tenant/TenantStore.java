package io.dispensary.orders.tenant;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dispensary.orders.common.database.Jdbc;
import io.dispensary.orders.common.database.JsonColumns;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The one way into {@code dispensary} and {@code api_key}. What every API request and every create-order reads
 * (the caller of a key, a dispensary's rules) is one index probe in plain JDBC, without an ORM session, since it
 * runs as often as requests come; what the admin API changes goes through the entities, in the caller's
 * transaction. jsonb columns are read and written by {@link JsonColumns} both ways.
 */
@ApplicationScoped
class TenantStore {

    private static final TypeReference<Set<Fulfillment>> FULFILLMENT = new TypeReference<>() {};
    private static final TypeReference<Map<CustomerType, PurchaseLimit>> PURCHASE_LIMITS = new TypeReference<>() {};

    private final DataSource dataSource;
    private final JsonColumns.Reader<Set<Fulfillment>> fulfillment;
    private final JsonColumns.Reader<Map<CustomerType, PurchaseLimit>> purchaseLimits;

    TenantStore(DataSource dataSource, JsonColumns json) {
        this.dataSource = dataSource;
        this.fulfillment = json.reader(FULFILLMENT);
        this.purchaseLimits = json.reader(PURCHASE_LIMITS);
    }

    /** The caller of the key with this hash, unless it is revoked. */
    Optional<Caller> callerByKeyHash(String keyHash) {
        return Jdbc.call(dataSource, "look up the API key", connection -> {
            try (PreparedStatement find = connection.prepareStatement(
                    "SELECT id, role, dispensary_id FROM api_key WHERE key_hash = ? AND revoked_at IS NULL")) {
                find.setString(1, keyHash);
                try (ResultSet row = find.executeQuery()) {
                    return row.next()
                            ? Optional.of(
                                    new Caller(row.getString(1), Role.valueOf(row.getString(2)), row.getString(3)))
                            : Optional.empty();
                }
            }
        });
    }

    /** A dispensary's compliance rules, read fresh. */
    Optional<DispensaryRules> rules(String id) {
        return Jdbc.call(dataSource, "read dispensary " + id, connection -> {
            try (PreparedStatement find = connection.prepareStatement(
                    "SELECT timezone, fulfillment, minimum_age, purchase_limits FROM dispensary WHERE id = ?")) {
                find.setString(1, id);
                try (ResultSet row = find.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    Set<Fulfillment> modes = fulfillment.read(row.getString(2));
                    return Optional.of(new DispensaryRules(
                            id,
                            row.getString(1),
                            // In declaration order, so messages that list them read the same every time.
                            modes.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(modes)),
                            row.getInt(3),
                            Map.copyOf(purchaseLimits.read(row.getString(4)))));
                }
            }
        });
    }

    /**
     * A dispensary and a storefront key of it, for a rehearsal of the warm-up, in the caller's transaction, which
     * always rolls back. The rules are a common dispensary's (21+, pickup and delivery, recreational and medical
     * limits), so a rehearsal runs every compliance rule a real order does; the key's hash is of a random value,
     * so no bearer token finds it.
     */
    void stageRehearsal(String dispensaryId, String keyId, Instant now) {
        Jdbc.call(dataSource, "stage a rehearsal's dispensary", connection -> {
            try (PreparedStatement dispensary = connection.prepareStatement(
                            "INSERT INTO dispensary (id, name, timezone, fulfillment, minimum_age, purchase_limits,"
                                    + " created_at, updated_at, version) VALUES (?, 'Warm-up rehearsal',"
                                    + " 'America/Los_Angeles', '[\"PICKUP\", \"DELIVERY\"]', 21, ?::jsonb, ?, ?, 0)");
                    PreparedStatement key = connection.prepareStatement(
                            "INSERT INTO api_key (id, key_hash, role, dispensary_id, created_at)"
                                    + " VALUES (?, ?, 'STOREFRONT', ?, ?)")) {
                OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
                dispensary.setString(1, dispensaryId);
                dispensary.setString(
                        2,
                        "{\"RECREATIONAL\": {\"flowerGrams\": 28.35, \"concentrateGrams\": 8, \"edibleThcMg\": 100},"
                                + " \"MEDICAL\": {\"flowerGrams\": 226.8, \"concentrateGrams\": 32}}");
                dispensary.setObject(3, at);
                dispensary.setObject(4, at);
                dispensary.executeUpdate();
                key.setString(1, keyId);
                key.setString(2, ApiKeys.hash(ApiKeys.newSecret()));
                key.setString(3, dispensaryId);
                key.setObject(4, at);
                key.executeUpdate();
                return null;
            }
        });
    }

    /**
     * The dispensary, locked against a concurrent upsert of the same id until the transaction ends. Without the
     * lock two PUTs could both find no row and insert it (a duplicate key), or update the same version (an
     * optimistic-lock failure): a 500.
     */
    Optional<Dispensary> lockDispensary(String id) {
        Dispensary.getEntityManager()
                .createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(:name, 0))")
                .setParameter("name", "dispensary:" + id)
                .getSingleResult();
        return Dispensary.findByIdOptional(id);
    }

    Optional<Dispensary> findDispensary(String id) {
        return Dispensary.findByIdOptional(id);
    }

    boolean dispensaryExists(String id) {
        return Dispensary.findById(id) != null;
    }

    void persist(Dispensary dispensary) {
        dispensary.persist();
    }

    void persist(ApiKey key) {
        key.persist();
    }

    Optional<ApiKey> findApiKey(String id) {
        return ApiKey.findByIdOptional(id);
    }
}
