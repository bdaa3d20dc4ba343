package io.dispensary.orders.loadtest;

/** The create-order bodies the load generators send: a 21+ recreational pickup, within every purchase limit. */
final class OrderBody {

    private static final String FLOWER = """
            {"sku": "FL-OG-35", "name": "OG Kush 3.5g", "category": "FLOWER", "quantity": 2,
             "unitPriceCents": 3500, "netWeightGrams": 3.5}""";
    private static final String EDIBLE = """
            {"sku": "ED-GUM-10", "name": "Gummies 10mg", "category": "EDIBLE", "quantity": 1,
             "unitPriceCents": 1899, "thcMg": 100}""";
    private static final String ORDER = """
            {"dispensaryId": "%s",
             "customer": {"name": "Ada Lovelace", "phone": "+14155550123", "email": "ada@example.com",
                          "birthDate": "1990-12-10", "type": "RECREATIONAL"},
             "fulfillment": "PICKUP",
             "items": [%s]}""";

    private OrderBody() {
    }

    /** One line: flower. */
    static String flower(String dispensaryId) {
        return ORDER.formatted(dispensaryId, FLOWER);
    }

    /** Two lines, flower and an edible: the shape pgbench's equivalent transaction writes. */
    static String flowerAndEdible(String dispensaryId) {
        return ORDER.formatted(dispensaryId, FLOWER + ",\n" + EDIBLE);
    }
}
