package io.dispensary.orders.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.numberspace.DatabaseForTests;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive of bin/lib/appcds.sh, as bin/run makes and uses it: a training start of the packaged
 * jar lists its classes, the next start really maps them (Hibernate ORM included, which is why the build is an
 * uber-jar), even with JFR recording from the start (which crashed the JVM with a dynamic archive), and the
 * archive is made anew only when the jar changes.
 */
class AppCdsArchiveIT {

    private static final Path JAR = Path.of("target/order-service-runner.jar");
    private static final String SHARED = "source: shared objects file";

    @Test
    void aTrainingStartMakesAnArchiveTheNextStartMapsEvenUnderJfrAndOnlyANewJarIsTrainedAgain(@TempDir Path dir)
            throws Exception {
        assertThat(JAR).as("package the service first (mvn verify runs this after package)").exists();
        Path jar = Files.copy(JAR, dir.resolve("order-service-runner.jar"));
        Path archive = dir.resolve("order-service-runner.jsa");
        Map<String, String> env = serviceEnvironment(DatabaseForTests.freshSchema("appcds"));

        String first = ensureArchive(jar, env);
        assertThat(first).contains("training start");
        assertThat(archive).isNotEmptyFile();
        FileTime trained = Files.getLastModifiedTime(archive);

        // -Xshare:on: a start that cannot use the archive fails instead of quietly loading every class anew. JFR
        // from the start, as an operator may turn it on: it makes the JVM show every class it maps to JFR's agent.
        Path classLog = dir.resolve("class-load.log");
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(KustomizeConfigurationTest.jvmOptions());
        command.addAll(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load:file=" + classLog,
                "-XX:StartFlightRecording=filename=" + dir.resolve("start.jfr"), "-jar", jar.toString()));
        Process service = start(command, env, dir.resolve("service.log"));
        try {
            awaitReady(service, env, dir.resolve("service.log"));
        } finally {
            stop(service);
        }
        List<String> hibernate = Files.readAllLines(classLog).stream().filter(l -> l.contains(" org.hibernate."))
                .toList();
        long mapped = hibernate.stream().filter(line -> line.contains(SHARED)).count();
        assertThat(hibernate).as("Hibernate ORM classes loaded by a start").hasSizeGreaterThan(1000);
        assertThat((double) mapped / hibernate.size()).as("share of them mapped from the archive").isGreaterThan(0.95);

        assertThat(ensureArchive(jar, env)).doesNotContain("training start");
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(trained);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(2)));
        assertThat(ensureArchive(jar, env)).contains("training start");
        assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(Files.getLastModifiedTime(jar));
    }

    /** Runs ensure_appcds_archive of bin/lib/appcds.sh for this jar; returns what it printed. */
    private static String ensureArchive(Path jar, Map<String, String> env) throws Exception {
        Path output = Files.createTempFile(jar.getParent(), "ensure-", ".log");
        List<String> command = List.of("bash", "-c", "source bin/lib/appcds.sh && mapfile -t options < <(grep -Ev "
                + "'^[[:space:]]*(#|$)' bin/lib/jvm.options) && ensure_appcds_archive \"$1\" \"$2\" \"$3\" "
                + "\"${options[@]}\"", "ensure", jar.toString(), env.get("QUARKUS_HTTP_PORT"),
                env.get("QUARKUS_MANAGEMENT_PORT"));
        Process process = start(command, env, output);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("ensure_appcds_archive finished").isTrue();
        String printed = Files.readString(output);
        assertThat(process.exitValue()).as(printed).isZero();
        assertThat(printed).doesNotContain("no archive");
        return printed;
    }

    private static Map<String, String> serviceEnvironment(String jdbcUrl) throws IOException {
        return Map.of("ORDERS_JAVA", java(),
                "QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl,
                "QUARKUS_DATASOURCE_USERNAME", DatabaseForTests.USER,
                "QUARKUS_DATASOURCE_PASSWORD", DatabaseForTests.PASSWORD,
                "QUARKUS_HTTP_PORT", String.valueOf(freePort()),
                "QUARKUS_MANAGEMENT_PORT", String.valueOf(freePort()),
                "ORDERS_ORDER_NUMBER_KEY", "6f0a3c1b2d4e5f60718293a4b5c6d7e8",
                "ORDERS_ADMIN_TOKEN", "an-admin-token-for-integration-tests-only-0123456789");
    }

    private static Process start(List<String> command, Map<String, String> env, Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("ORDERS_") || name.startsWith("QUARKUS_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void awaitReady(Process service, Map<String, String> env, Path log) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI ready = URI.create("http://localhost:" + env.get("QUARKUS_MANAGEMENT_PORT") + "/q/health/ready");
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            assertThat(service.isAlive()).as("the service runs:%n%s", Files.readString(log)).isTrue();
            try {
                if (client.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not ready in 60 s:\n" + Files.readString(log));
    }

    private static void stop(Process service) throws InterruptedException {
        service.destroy();
        if (!service.waitFor(20, TimeUnit.SECONDS)) {
            service.destroyForcibly().waitFor();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
