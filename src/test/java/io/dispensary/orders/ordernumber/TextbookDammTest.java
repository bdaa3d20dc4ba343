package io.dispensary.orders.ordernumber;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The check digit as a storefront can verify it: textbook Damm over the number with one digit p prepended, p by
 * payload width (the README's table). Written here apart from DammCheckDigit, so a change to the service's seeds
 * that storefronts would reject fails this test, and so does an order number in the README that fails the check.
 */
class TextbookDammTest {

    /** The README's table: payload width -> the digit prepended. */
    static final Map<Integer, Integer> PREFIX = Map.ofEntries(
            Map.entry(6, 3),
            Map.entry(7, 9),
            Map.entry(8, 7),
            Map.entry(9, 2),
            Map.entry(10, 4),
            Map.entry(11, 5),
            Map.entry(12, 8),
            Map.entry(13, 6),
            Map.entry(14, 1),
            Map.entry(15, 3),
            Map.entry(16, 9),
            Map.entry(17, 7),
            Map.entry(18, 2));

    /** Damm's table (H. M. Damm, 2004), copied from the literature, not from the service. */
    private static final int[][] DAMM = {
        {0, 3, 1, 7, 5, 9, 8, 6, 4, 2},
        {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
        {4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
        {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
        {6, 1, 2, 3, 0, 4, 5, 9, 7, 8},
        {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
        {5, 8, 6, 9, 7, 2, 0, 1, 3, 4},
        {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
        {9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
        {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
    };

    private static final byte[] KEY = OrderNumberCodec.parseKey("000102030405060708090a0b0c0d0e0f");
    /** Fixed, so a failure repeats. */
    private static final long SEED = 20261202L;

    /** Textbook Damm: the interim starts at 0, and a number with its check digit ends at 0. */
    static boolean textbookDamm(String digits) {
        int interim = 0;
        for (int i = 0; i < digits.length(); i++) {
            interim = DAMM[interim][digits.charAt(i) - '0'];
        }
        return interim == 0;
    }

    /** What a storefront checks: p(width) + the digits of the number (without -T), by textbook Damm. */
    static boolean passesTheStorefrontCheck(String orderNumber) {
        String digits = orderNumber.endsWith("-T") ? orderNumber.substring(0, orderNumber.length() - 2) : orderNumber;
        Integer prefix = PREFIX.get(digits.length() - 1);
        return digits.matches("[0-9]+") && prefix != null && textbookDamm(prefix + digits);
    }

    @Test
    void sampledNumbersOfEveryWidthAndNamespacePassTextbookDammWithTheWidthsPrefix() {
        Random random = new Random(SEED);
        for (int width = 6; width <= 18; width++) {
            OrderNumberCodec codec = new OrderNumberCodec(KEY, width, true);
            for (int i = 0; i < 300; i++) {
                long value = i < 3 ? i : random.nextLong(codec.capacity());
                for (Namespace namespace : Namespace.values()) {
                    String number = codec.encode(namespace, value).text();
                    assertThat(passesTheStorefrontCheck(number))
                            .as("%s (width %d, value %d)", number, width, value)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void aMistypedDigitOrASwapFailsTheStorefrontCheckToo() {
        Random random = new Random(SEED);
        for (int width = 6; width <= 18; width++) {
            String number = new OrderNumberCodec(KEY, width, true)
                    .encode(Namespace.PRODUCTION, random.nextLong(1000))
                    .text();
            for (int at = 0; at < number.length(); at++) {
                char digit = number.charAt(at);
                String typo =
                        number.substring(0, at) + (char) ('0' + (digit - '0' + 1) % 10) + number.substring(at + 1);
                assertThat(passesTheStorefrontCheck(typo)).as(typo).isFalse();
            }
            for (int at = 0; at + 1 < number.length(); at++) {
                if (number.charAt(at) != number.charAt(at + 1)) {
                    String swap = number.substring(0, at)
                            + number.charAt(at + 1)
                            + number.charAt(at)
                            + number.substring(at + 2);
                    assertThat(passesTheStorefrontCheck(swap)).as(swap).isFalse();
                }
            }
        }
    }

    @Test
    void theTableIsTheServicesSeedsAsPrefixes() {
        // Prepending p moves the interim from 0 to DAMM[0][p], which must be the width's seed.
        for (int width = 6; width <= 18; width++) {
            assertThat(DAMM[0][PREFIX.get(width)]).as("width %d", width).isEqualTo(DammCheckDigit.seedForWidth(width));
        }
    }

    @Test
    void everyOrderNumberInTheReadmePassesTheStorefrontCheck() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        // An order number in the README: in a path, with -T, or where the text names it (`... order number ...`).
        Matcher candidates =
                Pattern.compile("(?:/orders/|\\b)([0-9]{7,19}(?:-T)?)\\b").matcher(readme);
        List<String> numbers = new ArrayList<>();
        while (candidates.find()) {
            String number = candidates.group(1);
            // Phone numbers (+1415...) are the one other run of 7+ digits the README has.
            if (candidates.start(1) > 0 && readme.charAt(candidates.start(1) - 1) == '+') {
                continue;
            }
            numbers.add(number);
        }
        assertThat(numbers).as("order numbers in the README").hasSizeGreaterThanOrEqualTo(4);
        assertThat(numbers).allSatisfy(number -> assertThat(passesTheStorefrontCheck(number))
                .as("%s in README.md", number)
                .isTrue());
    }

    @Test
    void everyOrderNumberInTheOpenApiDocumentPassesTheStorefrontCheck() throws IOException {
        String document = Files.readString(Path.of("src/main/resources/META-INF/openapi.yaml"), StandardCharsets.UTF_8);
        // Quoted, in backticks or in a path: the document's bare 7-digit runs are bounds (maximum: 100000000).
        Matcher candidates = Pattern.compile("(?:/orders/|\"|`)([0-9]{7,19}(?:-T)?)(?=\"|`|\\b)")
                .matcher(document);
        List<String> numbers = new ArrayList<>();
        while (candidates.find()) {
            numbers.add(candidates.group(1));
        }
        assertThat(numbers).as("order numbers in the OpenAPI document").hasSizeGreaterThanOrEqualTo(4);
        assertThat(numbers).allSatisfy(number -> assertThat(passesTheStorefrontCheck(number))
                .as("%s in openapi.yaml", number)
                .isTrue());
    }
}
