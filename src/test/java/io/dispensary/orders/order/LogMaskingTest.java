package io.dispensary.orders.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.common.Masking;
import io.dispensary.orders.tenant.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keys never appear in logs; phone, email and birth date appear only masked. Reads the log file the test profile
 * writes (application.properties), after requests that log: a created order, a wrong key, a revoked key.
 */
@QuarkusTest
class LogMaskingTest {

    /** Relative to the module, where Maven runs the tests. */
    private static final Path LOG = Path.of("target/quarkus-test.log");

    private static final Duration LOG_WAIT = Duration.ofSeconds(10);

    /** Contact details no other test uses, so a hit can only come from this test's order. */
    private static final String PHONE = "+442079460958";

    private static final String EMAIL = "grace.hopper@navy.example";
    private static final String BIRTH_DATE = "1976-12-09";
    /** Non-ASCII, which @Email accepts (outside the Basic Multilingual Plane it accepts nothing). */
    private static final String ACCENTED_EMAIL = "\u00e9lodie@\u00e9cole.example";
    /** What Masking must make of them: written out, so a Masking that stops masking fails here. */
    private static final String MASKED_PHONE = "+4*********58";

    private static final String MASKED_EMAIL = "g***@n***";
    private static final String MASKED_BIRTH_DATE = "1970s";
    private static final String MASKED_ACCENTED_EMAIL = "\u00e9***@\u00e9***";
    /** Any API key: the prefix and 43 characters of base64url. */
    private static final Pattern ANY_KEY = Pattern.compile("dsk_[A-Za-z0-9_-]{20,}");

    private static final Tenants TENANTS = Tenants.local();

    @Test
    void keysNeverAppearInLogsAndContactDetailsAppearOnlyMasked() throws Exception {
        String dispensary = TENANTS.newDispensary();
        String key = TENANTS.storefrontKey(dispensary);
        Response revokedKey = TENANTS.admin()
                .contentType(ContentType.JSON)
                .body("{\"role\": \"STOREFRONT\", \"dispensaryId\": \"" + dispensary + "\"}")
                .post("/admin/api-keys");
        String revoked = revokedKey.then().statusCode(201).extract().path("apiKey");
        TENANTS.admin()
                .delete("/admin/api-keys/" + revokedKey.path("keyId"))
                .then()
                .statusCode(204);
        String wrong = "dsk_" + "W".repeat(43);
        String body = OrderFixtures.pickup(dispensary)
                .replace("+14155550123", PHONE)
                .replace("ada@example.com", EMAIL)
                .replace("1990-12-10", BIRTH_DATE);

        String number = TENANTS.as(key)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/orders")
                .then()
                .statusCode(201)
                .extract()
                .path("orderNumber");
        String accentedNumber = TENANTS.as(key)
                .contentType(ContentType.JSON)
                .body(body.replace(EMAIL, ACCENTED_EMAIL).getBytes(StandardCharsets.UTF_8))
                .post("/orders")
                .then()
                .statusCode(201)
                .extract()
                .path("orderNumber");
        TENANTS.as(wrong).get("/orders/" + number).then().statusCode(401);
        TENANTS.as(revoked).get("/orders/" + number).then().statusCode(401);
        TENANTS.as(revoked)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/orders")
                .then()
                .statusCode(401);
        TENANTS.as(Tenants.ADMIN_TOKEN + "x")
                .get("/admin/dispensaries/" + dispensary)
                .then()
                .statusCode(401);

        // The creation lines prove the log is the one this instance writes, and that it was flushed.
        String log = logContaining("Created order " + number, "Created order " + accentedNumber);
        String created = lineWith(log, "Created order " + number);
        String createdAccented = lineWith(log, "Created order " + accentedNumber);

        assertThat(Masking.phone(PHONE)).isEqualTo(MASKED_PHONE);
        assertThat(Masking.email(EMAIL)).isEqualTo(MASKED_EMAIL);
        assertThat(Masking.birthDate(LocalDate.parse(BIRTH_DATE))).isEqualTo(MASKED_BIRTH_DATE);
        assertThat(created).contains("customer " + MASKED_PHONE + " " + MASKED_EMAIL + " born " + MASKED_BIRTH_DATE);
        // Read back as UTF-8: the mask of a non-ASCII address is legible, not '?'.
        assertThat(createdAccented).contains("customer " + MASKED_PHONE + " " + MASKED_ACCENTED_EMAIL + " born ");

        for (String secret : List.of(key, revoked, wrong, Tenants.ADMIN_TOKEN)) {
            assertThat(log).as("a key or token in the log").doesNotContain(secret);
        }
        assertThat(ANY_KEY.matcher(log).find())
                .as("anything shaped like an API key in the log")
                .isFalse();
        // The number with and without its +, the address and its local part, the date in any usual form.
        for (String personal : List.of(
                PHONE,
                PHONE.substring(1),
                EMAIL,
                EMAIL.substring(0, EMAIL.indexOf('@')),
                ACCENTED_EMAIL,
                "\u00e9lodie",
                "\u00e9cole.example",
                BIRTH_DATE,
                "09.12.1976",
                "12/09/1976")) {
            assertThat(log).as("personal data in the log").doesNotContain(personal);
        }
    }

    /** The log once every marker is in it; Quarkus writes it from other threads. */
    private static String logContaining(String... markers) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(LOG_WAIT);
        while (true) {
            String log = Files.exists(LOG) ? Files.readString(LOG, StandardCharsets.UTF_8) : "";
            if (List.of(markers).stream().allMatch(log::contains)
                    || Instant.now().isAfter(deadline)) {
                for (String marker : markers) {
                    assertThat(log).as("the log at " + LOG.toAbsolutePath()).contains(marker);
                }
                return log;
            }
            Thread.sleep(100);
        }
    }

    private static String lineWith(String log, String marker) {
        return log.lines().filter(line -> line.contains(marker)).findFirst().orElseThrow();
    }
}
