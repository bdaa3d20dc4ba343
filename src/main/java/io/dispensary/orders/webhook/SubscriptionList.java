package io.dispensary.orders.webhook;

import java.util.List;

/** A dispensary's live subscriptions. */
public record SubscriptionList(List<SubscriptionView> webhooks) {}
