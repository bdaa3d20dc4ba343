package io.dispensary.orders.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SignatureTest {

    /** The test vector published with the Standard Webhooks reference implementations. */
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TIMESTAMP = 1614265330;
    private static final String SPEC_BODY = "{\"test\": 2432232314}";
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void reproducesTheSpecificationsTestVectorExactly() {
        assertThat(Signature.sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY))
                .isEqualTo(SPEC_SIGNATURE);
    }

    @Test
    void anIndependentVerifierAcceptsTheVectorAndRefusesAnyChangedPart() {
        String ts = Long.toString(SPEC_TIMESTAMP);
        assertThat(Verifier.verifies(SPEC_SECRET, SPEC_ID, ts, SPEC_BODY, SPEC_SIGNATURE))
                .isTrue();
        assertThat(Verifier.verifies(SPEC_SECRET, SPEC_ID + "x", ts, SPEC_BODY, SPEC_SIGNATURE))
                .isFalse();
        assertThat(Verifier.verifies(SPEC_SECRET, SPEC_ID, ts + "1", SPEC_BODY, SPEC_SIGNATURE))
                .isFalse();
        assertThat(Verifier.verifies(SPEC_SECRET, SPEC_ID, ts, SPEC_BODY + " ", SPEC_SIGNATURE))
                .isFalse();
        assertThat(Verifier.verifies(Signature.newSecret(), SPEC_ID, ts, SPEC_BODY, SPEC_SIGNATURE))
                .isFalse();
    }

    @Test
    void signaturesOfRandomMessagesVerifyWithTheIndependentImplementation() {
        Random random = new Random(20261203);
        for (int i = 0; i < 200; i++) {
            String secret = Signature.newSecret();
            String id = "evt_" + Long.toHexString(random.nextLong());
            long timestamp = 1_700_000_000L + random.nextInt(100_000_000);
            String body = "{\"type\":\"order.created\",\"n\":" + random.nextInt() + ",\"é\":\"ü\"}";
            String header = Signature.header(List.of(secret), id, timestamp, body);
            assertThat(Verifier.verifies(secret, id, Long.toString(timestamp), body, header))
                    .as("message %d", i)
                    .isTrue();
        }
    }

    @Test
    void duringARotationEitherSecretVerifiesTheTwoSignatureHeader() {
        String current = Signature.newSecret();
        String previous = Signature.newSecret();
        String header = Signature.header(List.of(current, previous), "evt_1", 1_800_000_000L, "{}");

        assertThat(header.split(" ")).hasSize(2).allMatch(part -> part.startsWith("v1,"));
        assertThat(Verifier.verifies(current, "evt_1", "1800000000", "{}", header))
                .isTrue();
        assertThat(Verifier.verifies(previous, "evt_1", "1800000000", "{}", header))
                .isTrue();
        assertThat(Verifier.verifies(Signature.newSecret(), "evt_1", "1800000000", "{}", header))
                .isFalse();
    }

    @Test
    void newSecretsAreWhsecAndTheBase64OfThirtyTwoRandomBytes() {
        String one = Signature.newSecret();
        assertThat(one).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(one.substring(6))).hasSize(32);
        assertThat(Signature.newSecret()).isNotEqualTo(one);
    }

    @Test
    void aSecretWithoutItsPrefixIsRefused() {
        assertThatThrownBy(() -> Signature.sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "id", 1, "{}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
