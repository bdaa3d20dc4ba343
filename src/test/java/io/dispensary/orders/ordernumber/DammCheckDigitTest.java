package io.dispensary.orders.ordernumber;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DammCheckDigitTest {

    private static final long SEED = 20261126L;
    private static final int SAMPLES = 2_000;

    @Test
    void computesTheTextbookCheckDigit() {
        // The worked example of Damm's algorithm: 572 -> 4.
        assertThat(DammCheckDigit.compute("572")).isEqualTo('4');
        assertThat(DammCheckDigit.isValid("5724")).isTrue();
    }

    @Test
    void catchesEverySingleDigitErrorOfSampledNumbers() {
        Random random = new Random(SEED);
        for (int n = 0; n < SAMPLES; n++) {
            String number = withCheckDigit(randomDigits(random, 6 + random.nextInt(13)));
            for (int position = 0; position < number.length(); position++) {
                for (char wrong = '0'; wrong <= '9'; wrong++) {
                    if (wrong == number.charAt(position)) {
                        continue;
                    }
                    String typo = number.substring(0, position) + wrong + number.substring(position + 1);
                    assertThat(DammCheckDigit.isValid(typo))
                            .as("%s mistyped as %s", number, typo)
                            .isFalse();
                }
            }
        }
    }

    @Test
    void catchesEveryAdjacentTranspositionOfSampledNumbers() {
        Random random = new Random(SEED + 1);
        for (int n = 0; n < SAMPLES; n++) {
            String number = withCheckDigit(randomDigits(random, 6 + random.nextInt(13)));
            for (int position = 0; position + 1 < number.length(); position++) {
                char a = number.charAt(position);
                char b = number.charAt(position + 1);
                if (a == b) {
                    continue;
                }
                String swapped = number.substring(0, position) + b + a + number.substring(position + 2);
                assertThat(DammCheckDigit.isValid(swapped))
                        .as("%s read as %s", number, swapped)
                        .isFalse();
            }
        }
    }

    @Test
    void acceptsEveryCorrectlyCheckedNumber() {
        Random random = new Random(SEED + 2);
        for (int n = 0; n < SAMPLES; n++) {
            assertThat(DammCheckDigit.isValid(withCheckDigit(randomDigits(random, 6 + random.nextInt(13)))))
                    .isTrue();
        }
    }

    @Test
    void aSeedStillCatchesEverySingleDigitErrorAndAdjacentTransposition() {
        Random random = new Random(SEED + 3);
        for (int n = 0; n < SAMPLES; n++) {
            int seed = 1 + random.nextInt(9);
            String digits = randomDigits(random, 6 + random.nextInt(13));
            String number = digits + DammCheckDigit.compute(digits, seed);
            assertThat(DammCheckDigit.isValid(number, seed)).isTrue();
            for (int position = 0; position < number.length(); position++) {
                char wrong = (char) ('0' + (number.charAt(position) - '0' + 1 + random.nextInt(9)) % 10);
                String typo = number.substring(0, position) + wrong + number.substring(position + 1);
                assertThat(DammCheckDigit.isValid(typo, seed))
                        .as("%s mistyped as %s", number, typo)
                        .isFalse();
                if (position + 1 < number.length() && number.charAt(position) != number.charAt(position + 1)) {
                    String swapped = number.substring(0, position)
                            + number.charAt(position + 1)
                            + number.charAt(position)
                            + number.substring(position + 2);
                    assertThat(DammCheckDigit.isValid(swapped, seed))
                            .as("%s read as %s", number, swapped)
                            .isFalse();
                }
            }
        }
    }

    /**
     * After a widening, a number of the new width that loses its leading zero has the length of one of the width
     * below, and a number of the width below with a zero put in front has the new width's length. Either way the
     * check must fail, whether the width below has a seed of its own or is a plain Damm width from before seeds.
     */
    @Test
    void aLeadingZeroLostOrAddedAcrossAdjacentWidthsNeverPassesTheCheck() {
        Random random = new Random(SEED + 4);
        for (int wider = 7; wider <= 18; wider++) {
            int seed = DammCheckDigit.seedForWidth(wider);
            assertThat(seed).isBetween(1, 9);
            for (int narrowerSeed : new int[] {0, DammCheckDigit.seedForWidth(wider - 1)}) {
                for (int n = 0; n < 200; n++) {
                    String rest = randomDigits(random, wider - 1);
                    String widerNumber = "0" + rest + DammCheckDigit.compute("0" + rest, seed);
                    assertThat(DammCheckDigit.isValid(widerNumber.substring(1), narrowerSeed))
                            .as("%s without its zero, at %d digits seeded %d", widerNumber, wider - 1, narrowerSeed)
                            .isFalse();
                    String narrowerNumber = rest + DammCheckDigit.compute(rest, narrowerSeed);
                    assertThat(DammCheckDigit.isValid("0" + narrowerNumber, seed))
                            .as("%s with a zero in front, at %d digits", narrowerNumber, wider)
                            .isFalse();
                }
            }
        }
    }

    @Test
    void plainDammCannotTellALostLeadingZero() {
        // Why the seeds exist: from interim 0 a leading 0 changes nothing.
        assertThat(DammCheckDigit.isValid("04821334".substring(1))).isEqualTo(DammCheckDigit.isValid("04821334"));
        String rest = "4821334";
        String widened = "0" + rest + DammCheckDigit.compute("0" + rest);
        assertThat(DammCheckDigit.isValid(widened.substring(1))).isTrue();
    }

    private static String withCheckDigit(String digits) {
        return digits + DammCheckDigit.compute(digits);
    }

    private static String randomDigits(Random random, int length) {
        StringBuilder digits = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        return digits.toString();
    }
}
