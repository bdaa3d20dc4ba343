package io.dispensary.orders.status;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium, run for one page and stopped. bin/test installs it (bin/lib/tools.sh,
 * {@code ensure_chromium}); where it is missing a test that needs it fails and says how to get it, never skips.
 */
final class Chromium {

    private static final long TIMEOUT_SECONDS = 30;

    private Chromium() {}

    /** {@code $CHROMIUM}, else chromium on the PATH; fails the test with the way to get it when there is none. */
    static String binary() {
        String configured = System.getenv("CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            if (!Files.isExecutable(Path.of(configured))) {
                fail("CHROMIUM=%s is not an executable file", configured);
            }
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return fail("The status page's browser test needs Chromium and none was found on the PATH. bin/test installs"
                + " Debian's package (bin/lib/tools.sh: ensure_chromium); by hand: 'apt-get install chromium', or set"
                + " CHROMIUM to a Chromium binary.");
    }

    /** Saves a screenshot of the page at {@code url} as a PNG. */
    static void screenshot(String url, Path png, int width, int height) throws IOException, InterruptedException {
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height), url);
    }

    /** The DOM of the page at {@code url} as Chromium built it. */
    static String dumpDom(String url) throws IOException, InterruptedException {
        return run(List.of("--dump-dom"), url);
    }

    private static String run(List<String> options, String url) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("status-chromium-");
        Path out = profile.resolve("stdout");
        Path err = profile.resolve("stderr");
        List<String> command = new ArrayList<>(List.of(
                binary(),
                "--headless",
                "--no-sandbox", // tests may run as root, where the sandbox refuses to start
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--hide-scrollbars",
                "--user-data-dir=" + profile));
        command.addAll(options);
        command.add(url);
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("Chromium did not finish within %d s: %s", TIMEOUT_SECONDS, Files.readString(err));
            }
            if (process.exitValue() != 0) {
                fail("Chromium exited with %d: %s", process.exitValue(), Files.readString(err));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            // Its renderer and zygote processes too: nothing of a test's browser may outlive it.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary profile left behind harms nothing.
        }
    }
}
