package io.dispensary.orders.order;

/**
 * Request bodies shared by the order tests: 7 g of flower and 100 mg of edible THC, within the limits. Built from
 * a record rather than by editing text, so each variant says what differs; the text is the same as ever, so tests
 * of hostile input can still edit it byte by byte.
 */
public final class OrderFixtures {

    private static final String ORDER = """
            {
              "dispensaryId": "%s",
              "customer": {"name": "%s", "phone": "+14155550123", "email": "ada@example.com",
                           "birthDate": "1990-12-10", "type": "RECREATIONAL"},
              "fulfillment": "%s",%s%s
              "items": [
                {"sku": "FL-OG-35", "name": "OG Kush 3.5g", "category": "FLOWER", "quantity": 2,
                 "unitPriceCents": 3500, "netWeightGrams": 3.5},
                {"sku": "ED-GUM-10", "name": "Gummies 10mg", "category": "EDIBLE", "quantity": 1,
                 "unitPriceCents": 1899, "thcMg": 100}
              ]
            }
            """;
    private static final String DELIVERY_ADDRESS = """

            "deliveryAddress": {"line1": "1 Market St", "city": "San Francisco", "region": "CA",
                                "postalCode": "94105"},""";

    /** One order body; {@code test} null leaves the member out, as storefronts do. */
    public record Order(String dispensaryId, String customerName, boolean isDelivery, Boolean test) {

        public Order customerName(String name) {
            return new Order(dispensaryId, name, isDelivery, test);
        }

        public Order delivery() {
            return new Order(dispensaryId, customerName, true, test);
        }

        public Order test(boolean isTest) {
            return new Order(dispensaryId, customerName, isDelivery, isTest);
        }

        public String json() {
            return ORDER.formatted(
                    dispensaryId,
                    customerName,
                    isDelivery ? "DELIVERY" : "PICKUP",
                    test == null ? "" : " \"test\": " + test + ",",
                    isDelivery ? DELIVERY_ADDRESS : "");
        }
    }

    private OrderFixtures() {}

    /** A pickup order for Ada Lovelace, a real one. */
    public static Order order(String dispensaryId) {
        return new Order(dispensaryId, "Ada Lovelace", false, null);
    }

    public static String pickup(String dispensaryId) {
        return order(dispensaryId).json();
    }

    public static String testOrder(String dispensaryId) {
        return order(dispensaryId).test(true).json();
    }

    public static String delivery(String dispensaryId) {
        return order(dispensaryId).delivery().json();
    }
}
