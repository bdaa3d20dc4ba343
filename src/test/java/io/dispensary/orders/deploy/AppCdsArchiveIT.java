package io.dispensary.orders.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.tenant.Tenants;
import io.dispensary.orders.testing.Database;
import io.dispensary.orders.testing.ServiceProcess;
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

    private static final String SHARED = "source: shared objects file";
    private static final Map<String, String> SECRETS = Map.of(
            "ORDERS_ORDER_NUMBER_KEY",
            "6f0a3c1b2d4e5f60718293a4b5c6d7e8",
            "ORDERS_ADMIN_TOKEN",
            Tenants.IT_ADMIN_TOKEN);

    @Test
    void aTrainingStartMakesAnArchiveTheNextStartMapsEvenUnderJfrAndOnlyANewJarIsTrainedAgain(@TempDir Path dir)
            throws Exception {
        assertThat(ServiceProcess.JAR)
                .as("package the service first (mvn verify runs this after package)")
                .exists();
        Path jar = Files.copy(ServiceProcess.JAR, dir.resolve("order-service-runner.jar"));
        Path archive = dir.resolve("order-service-runner.jsa");
        String url = Database.freshSchema("appcds");

        String first = ensureArchive(jar, url);
        assertThat(first).contains("training start");
        assertThat(archive).isNotEmptyFile();
        FileTime trained = Files.getLastModifiedTime(archive);

        // -Xshare:on: a start that cannot use the archive fails instead of quietly loading every class anew. JFR
        // from the start, as an operator may turn it on: it makes the JVM show every class it maps to JFR's agent.
        Path classLog = dir.resolve("class-load.log");
        List<String> options = new ArrayList<>(KustomizeConfigurationTest.jvmOptions());
        options.addAll(List.of(
                "-Xshare:on",
                "-XX:SharedArchiveFile=" + archive,
                "-Xlog:class+load:file=" + classLog,
                "-XX:StartFlightRecording=filename=" + dir.resolve("start.jfr")));
        try (ServiceProcess service = ServiceProcess.start(jar, options, url, SECRETS)) {
            service.awaitReady();
        }
        List<String> hibernate = Files.readAllLines(classLog).stream()
                .filter(l -> l.contains(" org.hibernate."))
                .toList();
        long mapped = hibernate.stream().filter(line -> line.contains(SHARED)).count();
        assertThat(hibernate).as("Hibernate ORM classes loaded by a start").hasSizeGreaterThan(1000);
        assertThat((double) mapped / hibernate.size())
                .as("share of them mapped from the archive")
                .isGreaterThan(0.95);

        assertThat(ensureArchive(jar, url)).doesNotContain("training start");
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(trained);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(2)));
        assertThat(ensureArchive(jar, url)).contains("training start");
        assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(Files.getLastModifiedTime(jar));
    }

    /** Runs ensure_appcds_archive of bin/lib/appcds.sh for this jar, as bin/run does; returns what it printed. */
    private static String ensureArchive(Path jar, String jdbcUrl) throws Exception {
        Path output = Files.createTempFile(jar.getParent(), "ensure-", ".log");
        List<String> command = new ArrayList<>(List.of(
                "bash",
                "-c",
                "source bin/lib/appcds.sh && ensure_appcds_archive \"$@\"",
                "ensure",
                jar.toString(),
                String.valueOf(ServiceProcess.freePort()),
                String.valueOf(ServiceProcess.freePort())));
        command.addAll(KustomizeConfigurationTest.jvmOptions());
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("ORDERS_") || name.startsWith("QUARKUS_"));
        environment.putAll(SECRETS);
        environment.put("ORDERS_JAVA", ServiceProcess.java());
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        environment.put("QUARKUS_DATASOURCE_USERNAME", Database.USER);
        environment.put("QUARKUS_DATASOURCE_PASSWORD", Database.PASSWORD);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS))
                .as("ensure_appcds_archive finished")
                .isTrue();
        String printed = Files.readString(output);
        assertThat(process.exitValue()).as(printed).isZero();
        assertThat(printed).doesNotContain("no archive");
        return printed;
    }
}
