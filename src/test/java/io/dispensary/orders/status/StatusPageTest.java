package io.dispensary.orders.status;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.order.OrderFixtures;
import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.Database;
import io.dispensary.orders.testing.Management;
import io.dispensary.orders.webhook.WebhookMonitor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class StatusPageTest {

    private static final Tenants TENANTS = Tenants.local();
    /** A subscription id as hostile as the column allows (32 characters): it must show as text. */
    private static final String HOSTILE_ID = "<script>alert(1)</script>\"'&";

    private static final Path SCREENSHOT = Path.of("target/status.png");
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 2000;

    @Inject
    WebhookMonitor webhooks;

    @BeforeEach
    void aHostileSubscriptionAndAnOrder() throws Exception {
        String dispensary = TENANTS.newDispensary();
        TENANTS.createOrder(TENANTS.storefrontKey(dispensary), OrderFixtures.pickup(dispensary));
        try (Connection connection = Database.outsidePool();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO webhook_subscription"
                        + " (id, dispensary_id, url, events, include_test, secret, created_at)"
                        + " VALUES (?, ?, 'http://127.0.0.1:9/', '{}', false, 'whsec_test', now())"
                        + " ON CONFLICT (id) DO UPDATE SET deleted_at = NULL")) {
            insert.setString(1, HOSTILE_ID);
            insert.setString(2, dispensary);
            insert.executeUpdate();
        }
        webhooks.run();
    }

    @AfterEach
    void deleteTheHostileSubscription() throws Exception {
        try (Connection connection = Database.outsidePool();
                PreparedStatement delete = connection.prepareStatement(
                        "UPDATE webhook_subscription SET deleted_at = now() WHERE id = ?")) {
            delete.setString(1, HOSTILE_ID);
            delete.executeUpdate();
        }
        webhooks.run();
    }

    @Test
    void theStatusPageIsHtmlThatNoBrowserCachesAndThatMayRunNoScript() {
        Response page = given().get(Management.url("/q/status"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        assertThat(page.header("Content-Security-Policy"))
                .startsWith("default-src 'none'; style-src 'unsafe-inline'; img-src data:;");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.asString())
                .startsWith("<!DOCTYPE html>")
                .doesNotContain("<script")
                .doesNotContain("http://www.w3.org/1999/xlink");
    }

    @Test
    void itShowsEverySloOfQSloWithItsStateAndBudgetAndTheNumberSpace() {
        Map<String, Map<String, Object>> slo = given().get(Management.url("/q/slo"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("");
        String page = given().get(Management.url("/q/status")).asString();
        assertThat(slo).containsKeys("create-order", "get-order", "webhook-delivery");
        for (Map.Entry<String, Map<String, Object>> each : slo.entrySet()) {
            String section = section(page, "slo-" + each.getKey());
            assertThat(section)
                    .contains("<h3>" + each.getKey() + "<span class=\"state state-"
                            + each.getValue().get("state"));
            double left = ((Number) each.getValue().get("errorBudgetLeft")).doubleValue();
            assertThat(section).contains("budget left " + Html.percent(left));
            assertThat(section).contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trend\"");
        }
        String production = section(page, "number-space-production");
        assertThat(production).contains(" digits)").contains("used ");
        assertThat(page).contains("id=\"number-space-test\"").contains("<th>pool size</th>");
    }

    @Test
    void aSubscriptionIdIsEscaped() {
        String page = given().get(Management.url("/q/status")).asString();
        assertThat(page)
                .contains("<td class=\"subscription\">&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;</td>")
                .doesNotContain(HOSTILE_ID);
    }

    @Test
    void headlessChromiumDrawsTheChartsAndRunsNoScript() throws Exception {
        String url = Management.url("/q/status");
        Files.deleteIfExists(SCREENSHOT);
        Files.createDirectories(SCREENSHOT.getParent());
        Chromium.screenshot(url, SCREENSHOT, WIDTH, HEIGHT);
        String dom = Chromium.dumpDom(url);

        int slos = count(dom, "<section class=\"card slo\"");
        assertThat(slos).as("an SLO section per critical endpoint").isGreaterThanOrEqualTo(3);
        assertThat(count(dom, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trend\""))
                .isEqualTo(slos);
        assertThat(count(dom, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"burn\""))
                .isEqualTo(slos);
        assertThat(count(dom, "class=\"gauge used\"")).isEqualTo(2);
        assertThat(dom).contains("<line class=\"threshold\"").contains("<circle class=\"day partial\"");
        // The browser parsed the id as text: no script element came of it.
        assertThat(dom).doesNotContain("<script").contains("&lt;script&gt;alert(1)&lt;/script&gt;");

        byte[] png = Files.readAllBytes(SCREENSHOT);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        assertThat(image.getHeight()).isEqualTo(HEIGHT);
        assertThat(colours(image))
                .as("colours in the screenshot: a blank page has one")
                .isGreaterThan(20);
    }

    /** One section of the page by its id, up to the next section. */
    private static String section(String page, String id) {
        int start = page.indexOf("id=\"" + id + "\"");
        assertThat(start).as("section %s", id).isNotNegative();
        int end = page.indexOf("</section>", start);
        return page.substring(start, end);
    }

    private static int count(String text, String needle) {
        Matcher matcher = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    private static int colours(BufferedImage image) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
