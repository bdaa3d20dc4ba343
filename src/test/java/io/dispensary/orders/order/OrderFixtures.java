package io.dispensary.orders.order;

/** Request bodies shared by the order tests: 7 g of flower and 100 mg of edible THC, within the limits. */
public final class OrderFixtures {

    private static final String PICKUP = """
            {
              "dispensaryId": "%s",
              "customer": {"name": "Ada Lovelace", "phone": "+14155550123", "email": "ada@example.com",
                           "birthDate": "1990-12-10", "type": "RECREATIONAL"},
              "fulfillment": "PICKUP",
              "items": [
                {"sku": "FL-OG-35", "name": "OG Kush 3.5g", "category": "FLOWER", "quantity": 2,
                 "unitPriceCents": 3500, "netWeightGrams": 3.5},
                {"sku": "ED-GUM-10", "name": "Gummies 10mg", "category": "EDIBLE", "quantity": 1,
                 "unitPriceCents": 1899, "thcMg": 100}
              ]
            }
            """;

    private OrderFixtures() {
    }

    public static String pickup(String dispensaryId) {
        return PICKUP.formatted(dispensaryId);
    }

    public static String testOrder(String dispensaryId) {
        return pickup(dispensaryId).replace("\"fulfillment\": \"PICKUP\",", "\"fulfillment\": \"PICKUP\", \"test\": true,");
    }

    public static String delivery(String dispensaryId) {
        return pickup(dispensaryId).replace("\"fulfillment\": \"PICKUP\",", """
                "fulfillment": "DELIVERY",
                "deliveryAddress": {"line1": "1 Market St", "city": "San Francisco", "region": "CA",
                                    "postalCode": "94105"},""");
    }
}
