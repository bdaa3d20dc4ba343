package io.dispensary.orders.numberspace;

import io.dispensary.orders.ordernumber.OrderNumber;

/** A freshly issued order number and the sequence value behind it. */
public record IssuedNumber(OrderNumber number, long sequenceValue) {}
