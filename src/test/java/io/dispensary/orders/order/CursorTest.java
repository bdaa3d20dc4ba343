package io.dispensary.orders.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dispensary.orders.common.problem.ApiProblem;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The listing cursor alone: it decodes to what was encoded, only a cursor sealed with the service's key is taken,
 * and its bytes say nothing of the position (the row id is global, so a readable one counts other tenants' orders).
 */
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
    void twoCursorsForTheSamePositionDiffer() {
        Cursor cursor = new Cursor(Instant.parse("2026-12-01T12:00:00Z"), 42);
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            tokens.add(cursor.encode(KEY));
        }
        assertThat(tokens)
                .as("a fresh nonce per cursor: equal positions are not recognisable")
                .hasSize(100);
    }

    @Test
    void theRowIdAndTheTimeCannotBeReadFromTheTokenBytes() {
        Random random = new Random(SEED);
        for (int i = 0; i < 200; i++) {
            long id = 1 + random.nextLong(1L << 40);
            Instant at = Instant.ofEpochSecond(1_764_590_400L + random.nextInt(1_000_000), random.nextInt(1_000_000));
            String token = new Cursor(at, id).encode(KEY);
            byte[] bytes = Base64.getUrlDecoder().decode(token.replace(".", ""));
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            assertThat(text)
                    .as("cursor %s of id %d", token, id)
                    .doesNotContain(Long.toString(id))
                    .doesNotContain(Long.toString(at.getEpochSecond()));
            assertThat(token).doesNotContain(Long.toString(id));
            assertThat(contains(bytes, ByteBuffer.allocate(8).putLong(id).array()))
                    .as("the id's big-endian bytes in cursor %s", token)
                    .isFalse();
            assertThat(contains(
                            bytes,
                            ByteBuffer.allocate(8).putLong(at.getEpochSecond()).array()))
                    .isFalse();
        }
    }

    @Test
    void cursorsOfNeighbouringIdsShareNoReadablePart() {
        // Before and after another dispensary's orders, a storefront's own cursors differ only in ids: if any
        // byte position followed the id, comparing them would count those orders.
        Instant at = Instant.parse("2026-12-01T12:00:00Z");
        byte[] first =
                Base64.getUrlDecoder().decode(new Cursor(at, 1_000).encode(KEY).replace(".", ""));
        byte[] second =
                Base64.getUrlDecoder().decode(new Cursor(at, 1_050).encode(KEY).replace(".", ""));
        assertThat(second).hasSameSizeAs(first);
        int equal = 0;
        // The version prefix is the same in every cursor; the rest must look random (about 1 byte in 256 equal).
        for (int i = 1; i < first.length; i++) {
            equal += first[i] == second[i] ? 1 : 0;
        }
        assertThat(equal).isLessThan(4);
    }

    @Test
    void aCursorOfTheOldSignedFormatIsRefused() {
        byte[] plain = "v2:1764590400:0:42".getBytes(StandardCharsets.US_ASCII);
        byte[] signature;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            signature = Arrays.copyOf(mac.doFinal(plain), 16);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        assertRefused(base64.encodeToString(plain) + "." + base64.encodeToString(signature));
    }

    @Test
    void everySingleByteChangeOfAValidCursorIsRefused() {
        String valid = new Cursor(Instant.parse("2026-12-01T12:00:00.123456Z"), 7).encode(KEY);
        byte[] bytes = Base64.getUrlDecoder().decode(valid);
        for (int at = 0; at < bytes.length; at++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] changed = bytes.clone();
                changed[at] ^= (byte) (1 << bit);
                assertRefused(Base64.getUrlEncoder().withoutPadding().encodeToString(changed));
            }
        }
        assertRefused(Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(bytes, bytes.length - 1)));
        assertRefused(Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(bytes, bytes.length + 1)));
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

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void assertRefused(String cursor) {
        assertThatThrownBy(() -> Cursor.decode(cursor, KEY)).isInstanceOfSatisfying(ApiProblem.class, problem -> {
            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.violations()).extracting(v -> v.field()).containsExactly("cursor");
        });
    }
}
