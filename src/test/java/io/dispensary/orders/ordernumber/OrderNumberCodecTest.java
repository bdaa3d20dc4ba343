package io.dispensary.orders.ordernumber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrderNumberCodecTest {

    private static final byte[] KEY = OrderNumberCodec.parseKey("2B7E151628AED2A6ABF7158809CF4F3C");
    private static final long SEED = 42L;
    private static final int SAMPLES_PER_WIDTH = 2_000;

    @Test
    void isABijectionOverTheWholeSixDigitDomain() {
        OrderNumberCodec codec = new OrderNumberCodec(KEY, 6, false);
        BitSet seen = new BitSet(1_000_000);
        for (long value = 0; value < 1_000_000; value++) {
            String text = codec.encode(Namespace.PRODUCTION, value).text();
            assertThat(text).hasSize(6);
            int number = Integer.parseInt(text);
            assertThat(seen.get(number)).as("%d collides", value).isFalse();
            seen.set(number);
        }
        assertThat(seen.cardinality()).isEqualTo(1_000_000);
    }

    @Test
    void decodesWhatItEncodesAtEveryWidthFromSixToEighteen() {
        Random random = new Random(SEED);
        for (int digits = 6; digits <= 18; digits++) {
            for (boolean check : new boolean[] {true, false}) {
                OrderNumberCodec codec = new OrderNumberCodec(KEY, digits, check);
                for (int n = 0; n < SAMPLES_PER_WIDTH; n++) {
                    long value = Math.floorMod(random.nextLong(), codec.capacity());
                    Namespace namespace = random.nextBoolean() ? Namespace.PRODUCTION : Namespace.TEST;
                    OrderNumber number = codec.encode(namespace, value);

                    assertThat(number.text())
                            .hasSize(digits
                                    + (check ? 1 : 0)
                                    + namespace.suffix().length());
                    OrderNumber parsed = codec.parse(number.text());
                    assertThat(parsed).isEqualTo(number);
                    assertThat(codec.decode(parsed))
                            .as("width %d value %d", digits, value)
                            .isEqualTo(value);
                }
                assertThat(codec.decode(codec.encode(Namespace.PRODUCTION, codec.maxSequenceValue())))
                        .isEqualTo(codec.maxSequenceValue());
            }
        }
    }

    @Test
    void givesTestOrdersUnrelatedNumbersWithADashTSuffix() {
        OrderNumberCodec codec = new OrderNumberCodec(KEY, 9, true);
        Set<String> production = new HashSet<>();
        Set<String> test = new HashSet<>();
        for (long value = 0; value < 1_000; value++) {
            production.add(codec.encode(Namespace.PRODUCTION, value).text());
            String testNumber = codec.encode(Namespace.TEST, value).text();
            assertThat(testNumber).matches("[0-9]{10}-T");
            test.add(testNumber.substring(0, 10));
        }
        // Another tweak is another permutation: the same sequence values give (almost) disjoint payloads.
        test.retainAll(production);
        assertThat(test).hasSizeLessThan(5);
    }

    @Test
    void rejectsAMistypedNumberBeforeAnyLookup() {
        OrderNumberCodec codec = new OrderNumberCodec(KEY, 8, true);
        String number = codec.encode(Namespace.PRODUCTION, 12_345).text();
        char last = number.charAt(number.length() - 1);
        String typo = number.substring(0, number.length() - 1) + (char) ('0' + (last - '0' + 1) % 10);

        assertThatThrownBy(() -> codec.parse(typo))
                .isInstanceOf(MalformedOrderNumberException.class)
                .hasMessageContaining("check digit");
    }

    @Test
    void rejectsStringsThatAreNotOrderNumbers() {
        OrderNumberCodec codec = new OrderNumberCodec(KEY, 8, true);
        for (String bad : new String[] {
            "",
            "12345",
            "1234567890123456789012",
            "12345678a",
            "-T",
            "123456789-t",
            "１２３４５６７８９",
            "123456789 ",
            "+12345678"
        }) {
            assertThatThrownBy(() -> codec.parse(bad))
                    .as("'%s'", bad)
                    .isInstanceOf(MalformedOrderNumberException.class);
        }
    }

    @Test
    void acceptsNumbersOfOtherWidthsSoWideningKeepsOldNumbersValid() {
        OrderNumberCodec six = new OrderNumberCodec(KEY, 6, true);
        OrderNumberCodec seven = new OrderNumberCodec(KEY, 7, true);
        String old = six.encode(Namespace.PRODUCTION, 999_999).text();

        assertThat(seven.parse(old).digits()).isEqualTo(6);
        assertThat(six.decode(seven.parse(old))).isEqualTo(999_999);
    }

    @Test
    void aWiderNumberThatLosesItsLeadingZeroIsMistypedNotAnotherOrder() {
        OrderNumberCodec six = new OrderNumberCodec(KEY, 6, true);
        OrderNumberCodec seven = new OrderNumberCodec(KEY, 7, true);
        int found = 0;
        for (long value = 1_000_000; found < 50; value++) {
            String number = seven.encode(Namespace.PRODUCTION, value).text();
            if (number.charAt(0) != '0') {
                continue;
            }
            found++;
            // As a spreadsheet or an integer column gives it back: the length of a 6-digit number.
            String withoutZero = number.substring(1);
            assertThatThrownBy(() -> seven.parse(withoutZero))
                    .as(number)
                    .isInstanceOf(MalformedOrderNumberException.class)
                    .hasMessageContaining("check digit");
            assertThatThrownBy(() -> six.parse(withoutZero))
                    .as(number)
                    .isInstanceOf(MalformedOrderNumberException.class);
        }
    }

    @Test
    void keepsCheckingAWidthIssuedBeforeSeedsWithPlainDamm() {
        // Width 8 was registered before check-digit seeds (stored seed 0); width 9 after.
        OrderNumberCodec legacy = new OrderNumberCodec(KEY, 8, true).withCheckSeeds(java.util.Map.of(8, 0));
        String old = legacy.encode(Namespace.PRODUCTION, 4_711).text();
        assertThat(DammCheckDigit.isValid(old)).isTrue();

        OrderNumberCodec nine = new OrderNumberCodec(KEY, 9, true).withCheckSeeds(java.util.Map.of(8, 0));
        assertThat(nine.parse(old).digits()).isEqualTo(8);
        String issued = nine.encode(Namespace.PRODUCTION, 4_711).text();
        assertThat(DammCheckDigit.isValid(issued, DammCheckDigit.seedForWidth(9)))
                .isTrue();
        assertThat(nine.parse(issued).digits()).isEqualTo(9);
        // Not told it was plain, the codec would refuse every old number whose seeded digit differs.
        assertThatThrownBy(() -> new OrderNumberCodec(KEY, 9, true).parse(old))
                .isInstanceOf(MalformedOrderNumberException.class);
    }

    @Test
    void refusesKeysThatAreNotHexAesKeys() {
        assertThatThrownBy(() -> OrderNumberCodec.parseKey("not hex")).hasMessageContaining("hexadecimal");
        assertThatThrownBy(() -> OrderNumberCodec.parseKey("abcd")).hasMessageContaining("128, 192 or 256");
    }

    @Test
    void keyFingerprintsTellKeysApartWithoutShowingThem() {
        byte[] other = OrderNumberCodec.parseKey("000102030405060708090a0b0c0d0e0f");
        assertThat(KeyFingerprint.of(KEY))
                .isEqualTo(KeyFingerprint.of(KEY.clone()))
                .isNotEqualTo(KeyFingerprint.of(other))
                .hasSize(32)
                .doesNotContainIgnoringCase("2B7E1516");
    }
}
