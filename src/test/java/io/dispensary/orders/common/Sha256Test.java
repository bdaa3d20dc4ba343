package io.dispensary.orders.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class Sha256Test {

    /** Fixed, so a failure repeats. */
    private static final long SEED = 2561L;

    @Test
    void theFipsSampleMessagesHashToTheirPublishedDigests() {
        // FIPS 180-2, appendix B: one block and two blocks.
        assertThat(Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Sha256.hex(
                        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }

    @Test
    void manyThreadsHashingAtOnceEachGetWhatAFreshDigestGives() throws Exception {
        Random random = new Random(SEED);
        List<byte[]> inputs = IntStream.range(0, 2_000)
                .mapToObj(i -> {
                    byte[] bytes = new byte[random.nextInt(200)];
                    random.nextBytes(bytes);
                    return bytes;
                })
                .toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> checks = inputs.stream()
                    .<Callable<Boolean>>map(input -> () -> Sha256.hex(input)
                            .equals(HexFormat.of()
                                    .formatHex(
                                            MessageDigest.getInstance("SHA-256").digest(input))))
                    .toList();
            for (Future<Boolean> check : pool.invokeAll(checks)) {
                assertThat(check.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
