package io.dispensary.orders.order;

import java.util.List;

/** One page of a listing; pass {@code nextCursor} back as {@code cursor} for the next, until it is null. */
public record OrderPage(List<OrderSummary> items, String nextCursor) {}
