package io.dispensary.orders.tenant;

/** What an API key may do: a storefront acts for one dispensary; internal staff for all, test orders included. */
public enum Role {
    STOREFRONT,
    INTERNAL
}
