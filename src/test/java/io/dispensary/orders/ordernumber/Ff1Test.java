package io.dispensary.orders.ordernumber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
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
