package io.dispensary.orders.tenant;

/**
 * Who sent the request: the API key's id (safe to log and record), its role and, for a storefront, its dispensary.
 * A rehearsal is the warm-up's own request ({@link io.dispensary.orders.common.Rehearsal}): its work is rolled back.
 */
public record Caller(String keyId, Role role, String dispensaryId, boolean rehearsal) {

    public Caller(String keyId, Role role, String dispensaryId) {
        this(keyId, role, dispensaryId, false);
    }

    public boolean isInternal() {
        return role == Role.INTERNAL;
    }

    /** Whether this caller may see and act on orders of the dispensary. */
    public boolean mayAccess(String dispensary) {
        return isInternal() || dispensaryId.equals(dispensary);
    }
}
