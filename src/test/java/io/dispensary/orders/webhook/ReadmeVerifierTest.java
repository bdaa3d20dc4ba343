package io.dispensary.orders.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The verification snippet the README gives storefront developers works on what the service signs: it is
 * taken from the README as it stands and run with python3 against real signatures, a rotation's two included.
 */
class ReadmeVerifierTest {

    private static final Pattern PYTHON =
            Pattern.compile("(?s)\\*\\*Verify the signature\\.\\*\\*.*?```python\\n(.*?)```");

    private static final String HARNESS = """

            import json, sys
            case = json.load(sys.stdin)
            print(verify(case["secret"], case["headers"], case["body"].encode("utf-8")))
            """;

    @Test
    void theReadmesPythonVerifierAcceptsTheServicesSignaturesAndRefusesATamperedBody() throws Exception {
        Matcher snippet = PYTHON.matcher(Files.readString(Path.of("README.md")));
        assertThat(snippet.find())
                .as("a python block under 'Verify the signature' in README.md")
                .isTrue();
        Path script = Files.createTempFile("verify-", ".py");
        Files.writeString(script, snippet.group(1) + HARNESS);

        String current = Signature.newSecret();
        String previous = Signature.newSecret();
        String body = "{\"type\":\"order.created\",\"data\":{\"orderNumber\":\"046076217\",\"name\":\"Zoë\"}}";
        long now = Instant.now().getEpochSecond();
        String header = Signature.header(List.of(current, previous), "evt_1", now, body);

        assertThat(run(script, current, "evt_1", now, header, body)).isEqualTo("True");
        assertThat(run(script, previous, "evt_1", now, header, body)).isEqualTo("True");
        assertThat(run(script, current, "evt_1", now, header, body.replace("046076217", "046076218")))
                .isEqualTo("False");
        assertThat(run(script, Signature.newSecret(), "evt_1", now, header, body))
                .isEqualTo("False");
        long old = now - 3600;
        assertThat(run(script, current, "evt_1", old, Signature.header(List.of(current), "evt_1", old, body), body))
                .as("an hour-old message is refused")
                .isEqualTo("False");
    }

    private static String run(Path script, String secret, String id, long timestamp, String signature, String body)
            throws Exception {
        Process python = new ProcessBuilder("python3", script.toString())
                .redirectErrorStream(true)
                .start();
        String input = String.format(
                "{\"secret\": \"%s\", \"headers\": {\"webhook-id\": \"%s\", \"webhook-timestamp\": \"%d\","
                        + " \"webhook-signature\": \"%s\"}, \"body\": %s}",
                secret,
                id,
                timestamp,
                signature,
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body));
        python.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        python.getOutputStream().close();
        assertThat(python.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(python.exitValue()).as("python3 said: %s", output).isZero();
        return output;
    }
}
