package io.dispensary.orders.ordernumber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ff1Test {

    private static final byte[] PLAINTEXT = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

    @ParameterizedTest(name = "NIST FF1 sample {0}")
    @CsvSource({
        "1, 2B7E151628AED2A6ABF7158809CF4F3C, '', 2433477484",
        "2, 2B7E151628AED2A6ABF7158809CF4F3C, 39383736353433323130, 6124200773",
        "4, 2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F, '', 2830668132",
        "5, 2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F, 39383736353433323130, 2496655549",
        "7, 2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94, '', 6657667009",
        "8, 2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94, 39383736353433323130, 1001623463",
    })
    void encryptsAndDecryptsTheNistRadix10Samples(int sample, String key, String tweak, String ciphertext) {
        Ff1 ff1 = new Ff1(HexFormat.of().parseHex(key));
        byte[] tweakBytes = HexFormat.of().parseHex(tweak);
        byte[] expected = numerals(ciphertext);

        assertThat(ff1.encrypt(PLAINTEXT, tweakBytes)).as("sample %d", sample).containsExactly(expected);
        assertThat(ff1.decrypt(expected, tweakBytes)).as("sample %d", sample).containsExactly(PLAINTEXT);
    }

    @Test
    void givesEachTweakItsOwnCiphertextWhenOneThreadAlternatesBetweenThem() {
        Ff1 ff1 = new Ff1(HexFormat.of().parseHex("2B7E151628AED2A6ABF7158809CF4F3C"));
        byte[] empty = new byte[0];
        byte[] tweak = HexFormat.of().parseHex("39383736353433323130");

        // NIST samples 1 and 2 in turn: an engine kept between calls (Bouncy Castle's are stateful) must not
        // answer one tweak with what it was initialised with for the other.
        for (int i = 0; i < 3; i++) {
            assertThat(ff1.encrypt(PLAINTEXT, empty)).containsExactly(numerals("2433477484"));
            assertThat(ff1.encrypt(PLAINTEXT, tweak)).containsExactly(numerals("6124200773"));
            assertThat(ff1.decrypt(numerals("2433477484"), empty)).containsExactly(PLAINTEXT);
            assertThat(ff1.decrypt(numerals("6124200773"), tweak)).containsExactly(PLAINTEXT);
        }
    }

    @Test
    void answersEveryThreadAsAFreshInstanceAnswersOne() throws Exception {
        byte[] key = HexFormat.of().parseHex("2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F");
        byte[][] tweaks = {new byte[0], {1}, {2, 3}};
        Random random = new Random(20261208L);
        int samples = 400;
        byte[][] inputs = new byte[samples][];
        byte[][] tweakOf = new byte[samples][];
        byte[][] expected = new byte[samples][];
        for (int i = 0; i < samples; i++) {
            inputs[i] = new byte[Ff1.MIN_DIGITS + random.nextInt(Ff1.MAX_DIGITS - Ff1.MIN_DIGITS + 1)];
            for (int d = 0; d < inputs[i].length; d++) {
                inputs[i][d] = (byte) random.nextInt(10);
            }
            tweakOf[i] = tweaks[random.nextInt(tweaks.length)];
            // A new instance per sample: nothing is carried over from an earlier call.
            expected[i] = new Ff1(key).encrypt(inputs[i], tweakOf[i]);
        }

        Ff1 shared = new Ff1(key);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                done.add(threads.submit(() -> {
                    for (int round = 0; round < 5; round++) {
                        for (int j = 0; j < samples; j++) {
                            int i = (j * 7 + offset * 31 + round) % samples;
                            assertThat(shared.encrypt(inputs[i], tweakOf[i])).containsExactly(expected[i]);
                            assertThat(shared.decrypt(expected[i], tweakOf[i])).containsExactly(inputs[i]);
                        }
                    }
                }));
            }
            for (Future<?> thread : done) {
                thread.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void refusesFewerThanSixDigitsAsFf1Rev1Requires() {
        Ff1 ff1 = new Ff1(new byte[16]);
        assertThatThrownBy(() -> ff1.encrypt(new byte[5], new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesKeysThatAreNotAesSized() {
        assertThatThrownBy(() -> new Ff1(new byte[20])).hasMessageContaining("128, 192 or 256");
    }

    @Test
    void passesItsOwnStartUpSelfTest() {
        Ff1SelfTest.run();
    }

    private static byte[] numerals(String digits) {
        byte[] numerals = new byte[digits.length()];
        for (int i = 0; i < digits.length(); i++) {
            numerals[i] = (byte) (digits.charAt(i) - '0');
        }
        return numerals;
    }
}
