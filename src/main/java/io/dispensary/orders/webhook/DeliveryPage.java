package io.dispensary.orders.webhook;

import java.util.List;

/** One page of deliveries in event order; pass {@code nextCursor} back as {@code cursor} until it is null. */
public record DeliveryPage(List<DeliveryView> deliveries, String nextCursor) {}
