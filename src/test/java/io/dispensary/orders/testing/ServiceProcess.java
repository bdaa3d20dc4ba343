package io.dispensary.orders.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service (target/order-service-runner.jar) as a real process in the prod profile, so tests can
 * restart it with other settings against the same database, as an operator would.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    final int httpPort;
    final int managementPort;

    private ServiceProcess(Process process, Path log, int httpPort, int managementPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    /** The packaged service. */
    public static final Path JAR = Path.of("target/order-service-runner.jar");

    /** Starts the jar with these environment variables on top of the database settings. */
    public static ServiceProcess start(String jdbcUrl, Map<String, String> env) {
        return start(JAR, List.of(), jdbcUrl, env);
    }

    /** Starts this jar with these JVM options, and these environment variables on top of the database settings. */
    public static ServiceProcess start(Path jar, List<String> jvmOptions, String jdbcUrl, Map<String, String> env) {
        try {
            if (!Files.exists(jar)) {
                throw new IllegalStateException("package the service first (mvn verify runs this after package)");
            }
            int http = freePort();
            int management = freePort();
            Path log = Files.createTempFile("order-service-", ".log");
            List<String> command = new ArrayList<>(List.of(java()));
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(name -> name.startsWith("ORDERS_") || name.startsWith("QUARKUS_"));
            environment.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
            environment.put("QUARKUS_DATASOURCE_USERNAME", Database.USER);
            environment.put("QUARKUS_DATASOURCE_PASSWORD", Database.PASSWORD);
            environment.put("QUARKUS_HTTP_PORT", String.valueOf(http));
            environment.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(management));
            environment.putAll(env);
            return new ServiceProcess(builder.start(), log, http, management);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, String> settings(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    /** Waits until the service is ready; fails with its log if it exits or times out first. */
    public ServiceProcess awaitReady() throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                HttpResponse<Void> response = client.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/q/health/ready"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the service did not get ready in " + START_TIMEOUT + ":\n" + output());
    }

    /** Waits for the service to refuse to start, and returns its exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the service should have refused to start:\n" + output());
        }
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public String baseUri() {
        return "http://localhost:" + httpPort;
    }

    public String managementUri() {
        return "http://localhost:" + managementPort;
    }

    /** Kills the service at once (SIGKILL), as a crash or an OOM kill would: no shutdown runs, nothing finishes. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file
        }
    }

    /** The java of these tests. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
