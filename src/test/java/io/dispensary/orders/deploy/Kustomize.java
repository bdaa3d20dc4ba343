package io.dispensary.orders.deploy;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders the Kustomize overlays under {@code k8s/overlays} exactly as a deployment would ({@code kubectl
 * kustomize}), once per overlay and test run, and reads the result with SnakeYAML.
 */
final class Kustomize {

    /** The overlays a deployment can use; every test that checks manifests runs over all of them. */
    static final List<String> OVERLAYS = List.of("dev", "prod");

    static final Path K8S = Path.of("k8s");

    private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {}

    /** The rendered overlay {@code k8s/overlays/<name>}. */
    static Manifests overlay(String name) {
        return RENDERED.computeIfAbsent(name, Kustomize::render);
    }

    private static Manifests render(String name) {
        Path dir = K8S.resolve("overlays").resolve(name);
        if (!Files.isDirectory(dir)) {
            fail("no overlay %s (looked in %s)", name, dir.toAbsolutePath());
        }
        String kubectl = System.getenv().getOrDefault("KUBECTL", "kubectl");
        ProcessResult result = run(
                List.of(kubectl, "kustomize", dir.toString()),
                "kubectl",
                "install kubectl (it renders Kustomize overlays without a cluster), or set KUBECTL to its path");
        if (result.exitCode() != 0) {
            fail("kubectl kustomize %s failed (exit %d):%n%s", dir, result.exitCode(), result.output());
        }
        return Manifests.parse(result.output());
    }

    /** Loads every YAML document of a string; comments and empty documents are dropped. */
    static List<Map<String, Object>> loadAll(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(16 * 1024 * 1024);
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(options).loadAll(yaml)) {
            if (document instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) map;
                documents.add(typed);
            }
        }
        return documents;
    }

    /** One command's exit code and its stdout and stderr together. */
    record ProcessResult(int exitCode, String output) {}

    /**
     * Runs a command from the repository root with a 5-minute bound. A missing program fails the test with a
     * message that says how to get it, rather than an IOException.
     */
    static ProcessResult run(List<String> command, String program, String howToGetIt) {
        return run(command, null, program, howToGetIt);
    }

    /** The same, in a working directory of its own (null: the repository root). */
    static ProcessResult run(List<String> command, Path directory, String program, String howToGetIt) {
        return run(command, directory, null, program, howToGetIt);
    }

    /** The same, with a file as its standard input (null: none). */
    static ProcessResult run(List<String> command, Path directory, Path input, String program, String howToGetIt) {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            if (input != null) {
                builder.redirectInput(input.toFile());
            }
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError(program + " is not available (" + e.getMessage() + "): " + howToGetIt, e);
        }
        try {
            // Read before waiting, so a large output never fills the pipe and blocks the process.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail("%s did not finish within 5 minutes", String.join(" ", command));
            }
            return new ProcessResult(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("could not read the output of " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        }
    }
}
