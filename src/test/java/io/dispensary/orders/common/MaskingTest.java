package io.dispensary.orders.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskingTest {

    /** Fixed, so a failing sample replays. */
    private static final long SEED = 0x3A5C_1D06L;

    private static final int SAMPLES = 1000;

    @Test
    void masksAPhoneNumberToItsFirstTwoAndLastTwoCharacters() {
        assertThat(Masking.phone("+14155550123")).isEqualTo("+1********23");
        // The longest E.164 number and the shortest that still shows anything.
        assertThat(Masking.phone("+123456789012345")).isEqualTo("+1************45");
        assertThat(Masking.phone("+1234")).isEqualTo("+1*34");
    }

    @Test
    void masksAShortOrMissingPhoneNumberCompletely() {
        // Four characters would be shown whole by the first-two-last-two rule.
        assertThat(Masking.phone("+123")).isEqualTo("***");
        assertThat(Masking.phone("+1")).isEqualTo("***");
        assertThat(Masking.phone("")).isEqualTo("***");
        assertThat(Masking.phone(null)).isEqualTo("***");
    }

    @Test
    void aMaskedPhoneNumberKeepsItsLengthAndShowsAtMostFourCharacters() {
        Random random = new Random(SEED);
        for (int i = 0; i < SAMPLES; i++) {
            // Any E.164 number the API accepts: + then 2 to 15 digits, the first not 0.
            StringBuilder phone = new StringBuilder("+").append(1 + random.nextInt(9));
            int more = 1 + random.nextInt(14);
            for (int d = 0; d < more; d++) {
                phone.append(random.nextInt(10));
            }
            String masked = Masking.phone(phone.toString());

            if (phone.length() < 5) {
                assertThat(masked).isEqualTo("***");
            } else {
                assertThat(masked).hasSameSizeAs(phone);
                assertThat(masked.replace("*", "")).hasSize(4);
                assertThat(masked).startsWith(phone.substring(0, 2)).endsWith(phone.substring(phone.length() - 2));
            }
        }
    }

    @Test
    void masksAnEmailToTheFirstCharacterOfEachPart() {
        assertThat(Masking.email("ada@example.com")).isEqualTo("a***@e***");
        assertThat(Masking.email("a@b")).isEqualTo("a***@b***");
        // Only the first @ counts; the rest of the address never shows.
        assertThat(Masking.email("a@b@c.example")).isEqualTo("a***@b***");
        assertThat(Masking.email("grace.hopper+orders@navy.example")).isEqualTo("g***@n***");
    }

    @Test
    void masksAnEmailWithoutTwoPartsCompletelyAndKeepsAMissingOneMissing() {
        assertThat(Masking.email("ada")).isEqualTo("***");
        assertThat(Masking.email("@example.com")).isEqualTo("***");
        assertThat(Masking.email("ada@")).isEqualTo("***");
        assertThat(Masking.email("@")).isEqualTo("***");
        assertThat(Masking.email("")).isEqualTo("***");
        assertThat(Masking.email(null)).isNull();
    }

    @Test
    void masksANonAsciiEmailLikeAnyOther() {
        // What @Email accepts beyond ASCII: characters of the Basic Multilingual Plane, one char each.
        assertThat(Masking.email("\u00e9lodie@\u00e9cole.example")).isEqualTo("\u00e9***@\u00e9***");
        assertThat(Masking.email("\u5c71\u7530@\u4f8b\u3048.jp")).isEqualTo("\u5c71***@\u4f8b***");
    }

    @Test
    void showsABirthDateAsItsDecadeOnly() {
        assertThat(Masking.birthDate(LocalDate.of(1990, 12, 10))).isEqualTo("1990s");
        assertThat(Masking.birthDate(LocalDate.of(1990, 1, 1))).isEqualTo("1990s");
        assertThat(Masking.birthDate(LocalDate.of(1999, 12, 31))).isEqualTo("1990s");
        assertThat(Masking.birthDate(LocalDate.of(2000, 1, 1))).isEqualTo("2000s");
        assertThat(Masking.birthDate(LocalDate.of(1900, 1, 1))).isEqualTo("1900s");
        assertThat(Masking.birthDate(null)).isNull();
    }

    @Test
    void aMaskedBirthDateNeverShowsTheMonthOrDay() {
        Random random = new Random(SEED);
        LocalDate earliest = LocalDate.of(1900, 1, 1);
        for (int i = 0; i < SAMPLES; i++) {
            LocalDate date = earliest.plusDays(random.nextInt(365 * 126));
            String masked = Masking.birthDate(date);

            assertThat(masked).matches("[0-9]{3}0s").doesNotContain(date.toString());
            assertThat(Integer.parseInt(masked.substring(0, 4))).isEqualTo(date.getYear() - date.getYear() % 10);
        }
    }
}
