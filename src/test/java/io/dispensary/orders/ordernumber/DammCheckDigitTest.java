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
                    assertThat(DammCheckDigit.isValid(typo)).as("%s mistyped as %s", number, typo).isFalse();
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
                assertThat(DammCheckDigit.isValid(swapped)).as("%s read as %s", number, swapped).isFalse();
            }
        }
    }

    @Test
    void acceptsEveryCorrectlyCheckedNumber() {
        Random random = new Random(SEED + 2);
        for (int n = 0; n < SAMPLES; n++) {
            assertThat(DammCheckDigit.isValid(withCheckDigit(randomDigits(random, 6 + random.nextInt(13))))).isTrue();
        }
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
