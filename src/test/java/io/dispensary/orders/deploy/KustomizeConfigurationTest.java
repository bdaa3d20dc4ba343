package io.dispensary.orders.deploy;

import static io.dispensary.orders.deploy.Manifests.at;
import static io.dispensary.orders.deploy.Manifests.list;
import static io.dispensary.orders.deploy.Manifests.map;
import static io.dispensary.orders.deploy.Manifests.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.dispensary.orders.common.OrdersConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The deployment's environment names only settings the service really reads (a typo in a ConfigMap key is
 * silently ignored by Quarkus, so it must fail here), and the repository holds no real secret.
 */
class KustomizeConfigurationTest {

    static final List<String> OVERLAYS = Kustomize.OVERLAYS;
    static final Path EXAMPLE_SECRET = Kustomize.K8S.resolve("secret.example.yaml");
    static final Path JVM_OPTIONS = Path.of("bin/lib/jvm.options");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyEnvironmentVariableTheDeploymentSetsIsOneTheServiceReads(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Set<String> valid = ServiceConfiguration.read().envNames();
        Set<String> set = new TreeSet<>(manifests.config().keySet());
        list(manifests.container(), "env").forEach(e -> set.add(str(e, "name")));

        assertThat(set).isNotEmpty().allSatisfy(name -> assertThat(valid)
                .as("%s is set by the %s overlay but the service reads no such setting", name, overlay)
                .contains(name));
    }

    /**
     * Health, metrics and /q/slo must never face the storefront network: the packaged jar (bin/run, a hand start)
     * binds the management port to the loopback interface, and only the pods, where the NetworkPolicy lets in
     * nothing but Prometheus and the kubelet, say they want every interface.
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void thePodsBindTheManagementPortOnEveryInterfaceWhichThePackagedJarKeepsOnLoopback(String overlay)
            throws IOException {
        java.util.Properties properties = new java.util.Properties();
        try (var reader =
                Files.newBufferedReader(Path.of("src/main/resources/application.properties"), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        assertThat(properties.getProperty("%prod.quarkus.management.host"))
                .as("the prod profile's management host")
                .isEqualTo("127.0.0.1");
        assertThat(Kustomize.overlay(overlay).config().get("QUARKUS_MANAGEMENT_HOST"))
                .as("QUARKUS_MANAGEMENT_HOST in the %s overlay", overlay)
                .isEqualTo("0.0.0.0");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void thePodsRunTheJvmWithTheOptionsBinRunUsesAndTheHeapFitsTheMemoryLimit(String overlay) throws IOException {
        Manifests manifests = Kustomize.overlay(overlay);
        List<String> options = jvmOptions();
        assertThat(options).as("bin/lib/jvm.options").isNotEmpty();
        List<String> podOptions =
                List.of(manifests.config().get("JAVA_TOOL_OPTIONS").split("\\s+"));
        assertThat(podOptions).containsAll(options);

        // Heap plus metaspace, code, threads and the collector: the non-heap part measured ~150 MB under load.
        long heapMiB = options.stream()
                .filter(o -> o.startsWith("-Xmx"))
                .map(o -> o.substring(4))
                .mapToLong(KustomizeConfigurationTest::mebibytes)
                .findFirst()
                .orElseThrow();
        long limitMiB = mebibytes(str(map(map(manifests.container(), "resources"), "limits"), "memory"));
        assertThat(limitMiB).as("memory limit of the %s pods", overlay).isGreaterThanOrEqualTo(2 * heapMiB);
    }

    /**
     * The pods start from the class-data archive bin/image dumps into the image (without it a start takes about
     * twice as long), and a plain run of the image starts as a pod does: the image's JAVA_TOOL_OPTIONS are the
     * ConfigMap's, and the one archive they name is the file the image's last stage dumps.
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void thePodsStartFromTheArchiveInTheImageWithTheImagesOwnJvmOptions(String overlay) throws IOException {
        String podOptions = Kustomize.overlay(overlay).config().get("JAVA_TOOL_OPTIONS");
        String containerfile = Files.readString(KustomizeOverlaysTest.CONTAINERFILE, StandardCharsets.UTF_8);

        Matcher env =
                Pattern.compile("(?m)^ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"$").matcher(containerfile);
        assertThat(env.find())
                .as("ENV JAVA_TOOL_OPTIONS=\"...\" in the Containerfile")
                .isTrue();
        assertThat(env.group(1)).as("the image's JAVA_TOOL_OPTIONS").isEqualTo(podOptions);

        List<String> archives = List.of(podOptions.split("\\s+")).stream()
                .filter(o -> o.startsWith("-XX:SharedArchiveFile="))
                .map(o -> o.substring("-XX:SharedArchiveFile=".length()))
                .toList();
        assertThat(archives)
                .as("archive options in the %s overlay's JAVA_TOOL_OPTIONS", overlay)
                .hasSize(1);
        Matcher dump = Pattern.compile("-Xshare:dump[\\s\\\\]+(?:-\\S+[\\s\\\\]+)*?-XX:SharedArchiveFile=(\\S+)")
                .matcher(containerfile);
        assertThat(dump.find()).as("a -Xshare:dump in the Containerfile").isTrue();
        assertThat(dump.group(1)).as("the archive the image dumps").isEqualTo(archives.get(0));
    }

    @Test
    void theJvmOfTheseTestsAcceptsEveryOptionOfTheService() throws IOException, InterruptedException {
        // A misspelt or too-new option stops the JVM at start with "Unrecognized VM option": in bin/run, in the
        // load tests and in every pod. TrimNativeHeapInterval, for one, needs 17.0.9 or later.
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions());
        command.add("-version");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(java.waitFor()).as("%s said: %s", command, output).isZero();
        assertThat(output).doesNotContain("Unrecognized", "Ignoring option");
    }

    static List<String> jvmOptions() throws IOException {
        return Files.readAllLines(JVM_OPTIONS).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    /** {@code 256m}, {@code 768Mi}, {@code 1g}, {@code 1Gi} in MiB. */
    static long mebibytes(String size) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d+)([mMgG])i?").matcher(size);
        assertThat(m.matches()).as("size %s", size).isTrue();
        long value = Long.parseLong(m.group(1));
        return Character.toLowerCase(m.group(2).charAt(0)) == 'g' ? value * 1024 : value;
    }

    @Test
    void theValidNamesComeFromTheServiceConfigurationSoATypoIsCaught() {
        Set<String> valid = ServiceConfiguration.read().envNames();
        // From application.properties, from the OrdersConfig mapping (with and without a default there), from
        // the SLO map expanded per endpoint, and the standard additions.
        assertThat(valid)
                .contains(
                        "QUARKUS_DATASOURCE_JDBC_URL",
                        "QUARKUS_DATASOURCE_JDBC_MAX_SIZE",
                        "QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT",
                        "QUARKUS_MANAGEMENT_PORT",
                        "QUARKUS_HTTP_PORT",
                        "ORDERS_ORDER_NUMBER_DIGITS",
                        "ORDERS_ORDER_NUMBER_KEY",
                        "ORDERS_ORDER_NUMBER_EXHAUSTION_LOG_INTERVAL",
                        "ORDERS_ADMIN_TOKEN",
                        "ORDERS_CAPACITY_RATE_WINDOW",
                        "ORDERS_CAPACITY_WARNING_ETA",
                        "ORDERS_SLO_CREATE_ORDER_THRESHOLD",
                        "ORDERS_SLO_GET_ORDER_PERIOD",
                        "QUARKUS_SHUTDOWN_TIMEOUT",
                        "JAVA_TOOL_OPTIONS");
        assertThat(valid)
                .doesNotContain(
                        "ORDERS_ORDER_NUMBER_DIGIT",
                        "ORDERS_ORDERNUMBER_DIGITS",
                        "QUARKUS_DATASOURCE_JDBC_MAXSIZE",
                        "ORDERS_SLO_CREATE_ORDERS_THRESHOLD",
                        "ORDERS_CAPACITY");
        // Every leaf of the mapping is there: a renamed property makes the manifests' old name fail above.
        assertThat(ServiceConfiguration.read().properties())
                .contains(
                        "orders.idempotency.retention",
                        "orders.order-number.check-digit",
                        "orders.capacity.critical-used-ratio");
        assertThat(OrdersConfig.class.isInterface()).isTrue();
    }

    @Test
    void theExampleSecretShowsTheKeysTheDeploymentReadsWithPlaceholdersOnly() throws IOException {
        Map<String, Object> secret = exampleSecret();
        assertThat(str(secret, "kind")).isEqualTo("Secret");
        assertThat(at(secret, "data"))
                .as("base64 `data` would hide what the values are")
                .isNull();
        Map<String, Object> values = map(secret, "stringData");

        Set<String> referenced = new TreeSet<>();
        for (String overlay : OVERLAYS) {
            Manifests manifests = Kustomize.overlay(overlay);
            assertThat(secretNames(manifests)).containsExactly(str(secret, "metadata", "name"));
            referenced.addAll(secretEnv(manifests).values());
        }
        assertThat(values.keySet()).isEqualTo(referenced);

        String text = Files.readString(EXAMPLE_SECRET, StandardCharsets.UTF_8);
        values.forEach((key, value) -> {
            String v = String.valueOf(value);
            if (key.equals("username")) {
                // A role name, not a secret.
                assertThat(v).matches("[a-z_][a-z0-9_]*");
                return;
            }
            assertThat(v).as("example value of %s", key).startsWith("REPLACE_ME");
            assertThat(looksLikeARealSecret(v)).as("example value of %s", key).isFalse();
        });
        // Nor anywhere else in the file (a comment, a second document): no hex key, no dev credential.
        assertThat(text)
                .doesNotContainIgnoringCase(OrdersConfig.DEV_ORDER_NUMBER_KEY)
                .doesNotContain(OrdersConfig.DEV_ADMIN_TOKEN)
                .doesNotContainPattern("(?i)\\b[0-9a-f]{32,}\\b")
                .doesNotContainPattern("[A-Za-z0-9+/]{40,}={0,2}");
        assertThat(Kustomize.loadAll(text)).hasSize(1);
    }

    @Test
    void theSecretCheckRecognisesRealLookingValues() {
        assertThat(looksLikeARealSecret("000102030405060708090a0b0c0d0e0f")).isTrue();
        assertThat(looksLikeARealSecret("Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5"))
                .isTrue();
        assertThat(looksLikeARealSecret("REPLACE_ME-openssl-rand-hex-16")).isFalse();
    }

    @Test
    void noKustomizationIncludesTheExampleSecret() throws IOException {
        try (var files = Files.walk(Kustomize.K8S)) {
            List<Path> kustomizations = files.filter(
                            p -> p.getFileName().toString().equals("kustomization.yaml"))
                    .toList();
            assertThat(kustomizations).isNotEmpty();
            for (Path kustomization : kustomizations) {
                Map<String, Object> parsed =
                        Kustomize.loadAll(Files.readString(kustomization)).get(0);
                assertThat(parsed).as("%s", kustomization).doesNotContainKey("secretGenerator");
                for (String field : List.of("resources", "components", "patches")) {
                    assertThat(String.valueOf(parsed.get(field)))
                            .as("%s %s", kustomization, field)
                            .doesNotContain("secret.example");
                }
            }
        }
    }

    /** The Secret example, as committed. */
    static Map<String, Object> exampleSecret() {
        try {
            return Kustomize.loadAll(Files.readString(EXAMPLE_SECRET, StandardCharsets.UTF_8))
                    .get(0);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + EXAMPLE_SECRET, e);
        }
    }

    /** Env var name -> Secret key, for every env var of the container that comes from a Secret. */
    static Map<String, String> secretEnv(Manifests manifests) {
        Map<String, String> env = new TreeMap<>();
        for (Object e : list(manifests.container(), "env")) {
            if (at(e, "valueFrom", "secretKeyRef") != null) {
                env.put(str(e, "name"), str(e, "valueFrom", "secretKeyRef", "key"));
            }
        }
        return env;
    }

    /** The Secrets the container reads. */
    static Set<String> secretNames(Manifests manifests) {
        Set<String> names = new TreeSet<>();
        for (Object e : list(manifests.container(), "env")) {
            String name = str(e, "valueFrom", "secretKeyRef", "name");
            if (name != null) {
                names.add(name);
            }
        }
        Object envFrom = at(manifests.container(), "envFrom");
        if (envFrom instanceof List<?> sources) {
            sources.forEach(s -> {
                if (at(s, "secretRef", "name") != null) {
                    names.add(str(s, "secretRef", "name"));
                }
            });
        }
        return names;
    }

    /** Long hex (an AES key), long base64, or the documented dev values. */
    static boolean looksLikeARealSecret(String value) {
        return value.matches("(?i)[0-9a-f]{32,}")
                || value.matches("[A-Za-z0-9+/]{24,}={0,2}")
                || value.equalsIgnoreCase(OrdersConfig.DEV_ORDER_NUMBER_KEY)
                || value.equals(OrdersConfig.DEV_ADMIN_TOKEN);
    }
}
