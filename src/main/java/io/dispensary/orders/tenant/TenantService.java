package io.dispensary.orders.tenant;

import io.dispensary.orders.common.problem.ApiProblem;
import io.dispensary.orders.common.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Dispensaries and API keys: what the admin API changes and what order handling reads. */
@ApplicationScoped
public class TenantService {

    private final Clock clock;
    private final TenantStore store;
    private final TenantCache cache;

    public TenantService(Clock clock, TenantStore store, TenantCache cache) {
        this.clock = clock;
        this.store = store;
        this.cache = cache;
    }

    /**
     * The caller an API key authenticates, if the key exists and is not revoked. Every API request asks; the answer
     * may come from {@link TenantCache}, which every instance empties when any key changes, so a revoked key stops
     * working on this instance when the revoke commits and on the others when they hear of it.
     */
    public Optional<Caller> callerFor(String secret) {
        if (!ApiKeys.looksLikeKey(secret)) {
            return Optional.empty();
        }
        return cache.caller(ApiKeys.hash(secret), store::callerByKeyHash);
    }

    /** The result of an upsert: the dispensary and whether it is new. */
    public record Upserted(DispensaryView dispensary, boolean created) {}

    @Transactional
    public Upserted upsertDispensary(String id, DispensaryRequest request) {
        // Region ids of the time-zone database only: ZoneId.of also takes fixed offsets ("-08:00", "UTC-08:00"),
        // which ignore daylight saving, so the customer's age would be checked against the wrong midnight.
        if (!ZoneId.getAvailableZoneIds().contains(request.timezone())) {
            throw ApiProblem.validation(List.of(
                    new Problem.Violation("timezone", "must be an IANA time zone such as America/Los_Angeles")));
        }
        // Two PUTs of one dispensary at once are applied one after the other.
        Dispensary dispensary = store.lockDispensary(id).orElse(null);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
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
            store.persist(dispensary);
        }
        cache.forgetAfterCommit();
        return new Upserted(DispensaryView.of(dispensary), created);
    }

    @Transactional
    public Optional<DispensaryView> findDispensary(String id) {
        return store.findDispensary(id).map(DispensaryView::of);
    }

    /**
     * Stages the dispensary and key of a rehearsal caller in the current transaction, which the rehearsal always
     * rolls back: nothing of it is ever seen outside that transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void stageRehearsal(Caller caller) {
        if (!caller.rehearsal()) {
            throw new IllegalArgumentException("only a rehearsal's tenant is staged");
        }
        store.stageRehearsal(
                caller.dispensaryId(), caller.keyId(), clock.instant().truncatedTo(ChronoUnit.MICROS));
    }

    /**
     * The compliance rules of a dispensary, kept on the same terms as callers, so an admin's change applies to the
     * next order on every instance that has heard of it.
     */
    public Optional<DispensaryRules> rules(String id) {
        return cache.rules(id, store::rules);
    }

    /**
     * The rules an order of this caller is judged by. A rehearsal's dispensary exists only inside its own
     * transaction, so its rules are read there and never kept.
     */
    public Optional<DispensaryRules> rules(String id, Caller caller) {
        return caller.rehearsal() ? store.rules(id) : rules(id);
    }

    @Transactional
    public ApiKeyCreated createApiKey(ApiKeyRequest request) {
        if (request.role() == Role.STOREFRONT) {
            if (request.dispensaryId() == null) {
                throw ApiProblem.validation(
                        List.of(new Problem.Violation("dispensaryId", "is required for a STOREFRONT key")));
            }
            if (!store.dispensaryExists(request.dispensaryId())) {
                throw new ApiProblem(
                        422,
                        "unknown-dispensary",
                        "Unknown dispensary",
                        "There is no dispensary " + request.dispensaryId() + "; create it first.");
            }
        } else if (request.dispensaryId() != null) {
            throw ApiProblem.validation(
                    List.of(new Problem.Violation("dispensaryId", "must be absent for an INTERNAL key")));
        }
        String secret = ApiKeys.newSecret();
        ApiKey key = new ApiKey();
        key.id = ApiKeys.newId();
        key.keyHash = ApiKeys.hash(secret);
        key.role = request.role();
        key.dispensaryId = request.dispensaryId();
        key.createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        store.persist(key);
        return new ApiKeyCreated(key.id, secret, key.role, key.dispensaryId);
    }

    /** Revokes a key at once; revoking it again changes nothing. */
    @Transactional
    public void revokeApiKey(String keyId) {
        ApiKey key =
                store.findApiKey(keyId).orElseThrow(() -> ApiProblem.notFound("There is no API key " + keyId + "."));
        if (key.revokedAt == null) {
            key.revokedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            cache.forgetAfterCommit();
        }
    }
}
