package io.dispensary.orders.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dispensary.orders.common.problem.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The listing cursor alone: what it encodes, and that only a cursor signed with the service's key is taken. */
class CursorTest {

    private static final byte[] KEY = "a key of the test's, 32 bytes ..".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER_KEY = "another key, also 32 bytes long.".getBytes(StandardCharsets.US_ASCII);
    /** Fixed, so a failure repeats. */
    private static final long SEED = 16L;

    @Test
    void sampledPositionsDecodeToWhatWasEncoded() {
        Random random = new Random(SEED);
        for (int i = 0; i < 1_000; i++) {
            Instant at = Instant.ofEpochSecond(
                    random.nextLong(OrderQuery.EARLIEST.getEpochSecond(), OrderQuery.LATEST.getEpochSecond()),
                    random.nextInt(1_000_000_000));
            Cursor cursor = new Cursor(at, random.nextLong(Long.MAX_VALUE));
            assertThat(Cursor.decode(cursor.encode(KEY), KEY)).isEqualTo(cursor);
        }
    }

    @Test
    void aCursorSignedWithAnotherKeyIsA400NamingTheCursor() {
        String foreign = new Cursor(Instant.parse("2026-12-01T12:00:00Z"), 42).encode(OTHER_KEY);
        assertRefused(foreign);
    }

    @Test
    void anEditedPositionIsRefusedEvenWithTheOldSignature() {
        String cursor = new Cursor(Instant.parse("2026-12-01T12:00:00Z"), 42).encode(KEY);
        String signature = cursor.substring(cursor.indexOf('.'));
        String edited = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("v2:1764590400:0:41".getBytes(StandardCharsets.US_ASCII));
        assertRefused(edited + signature);
    }

    @Test
    void garbageUnsignedAndEmptyCursorsAreRefused() {
        for (String cursor : new String[] {"", ".", "abc", "abc.def", "%%%.***", "djI6MTow"}) {
            assertRefused(cursor);
        }
    }

    @Test
    void sampledCorruptionsOfAValidCursorAreAllRefused() {
        String valid = new Cursor(Instant.parse("2026-12-01T12:00:00.123456Z"), 7).encode(KEY);
        Random random = new Random(SEED);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < 500; i++) {
            char[] chars = valid.toCharArray();
            int at = random.nextInt(chars.length);
            char replacement = alphabet.charAt(random.nextInt(alphabet.length()));
            if (chars[at] == '.' || chars[at] == replacement) {
                continue;
            }
            chars[at] = replacement;
            String corrupted = new String(chars);
            try {
                // A change in the last character's unused bits decodes to the same bytes: still the same cursor.
                assertThat(Cursor.decode(corrupted, KEY)).isEqualTo(Cursor.decode(valid, KEY));
            } catch (ApiProblem refused) {
                assertThat(refused.status()).isEqualTo(400);
            }
        }
    }

    private static void assertRefused(String cursor) {
        assertThatThrownBy(() -> Cursor.decode(cursor, KEY)).isInstanceOfSatisfying(ApiProblem.class, problem -> {
            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.violations()).extracting(v -> v.field()).containsExactly("cursor");
        });
    }
}
