package io.dispensary.orders.tenant;

import jakarta.enterprise.context.RequestScoped;

/** The authenticated caller of the current request, set by {@link Authentication}. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    /** The caller; every /orders request has one, or it was answered 401 before reaching a resource. */
    public Caller get() {
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller on this request");
        }
        return caller;
    }
}
