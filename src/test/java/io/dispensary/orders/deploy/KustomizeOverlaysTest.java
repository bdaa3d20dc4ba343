package io.dispensary.orders.deploy;

import static io.dispensary.orders.deploy.Manifests.at;
import static io.dispensary.orders.deploy.Manifests.integer;
import static io.dispensary.orders.deploy.Manifests.list;
import static io.dispensary.orders.deploy.Manifests.map;
import static io.dispensary.orders.deploy.Manifests.str;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Each overlay renders, and what it renders is a deployment that keeps serving through rollouts and drains. */
class KustomizeOverlaysTest {

    /** The paths the service answers on its management port (README "Operate"; probed for real elsewhere). */
    static final Map<String, String> PROBE_PATHS = Map.of(
            "startupProbe", "/q/health/started",
            "livenessProbe", "/q/health/live",
            "readinessProbe", "/q/health/ready");

    static final List<String> OVERLAYS = Kustomize.OVERLAYS;

    /** What bin/image builds the image from. */
    static final Path CONTAINERFILE = Path.of("image/Containerfile");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyOverlayRendersTheServiceItsDatabaseAndItsMonitoring(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Set<String> kinds = new TreeSet<>();
        manifests.objects().forEach(o -> kinds.add(str(o, "kind")));
        assertThat(kinds)
                .contains(
                        "Deployment",
                        "Service",
                        "HorizontalPodAutoscaler",
                        "PodDisruptionBudget",
                        "NetworkPolicy",
                        "Ingress",
                        "ConfigMap",
                        "ServiceAccount",
                        "Cluster",
                        "Pooler",
                        "ServiceMonitor",
                        "PrometheusRule");
        // The Secret is created out of band; an overlay that rendered one would ship placeholders or worse.
        assertThat(kinds).doesNotContain("Secret");
        String namespace = str(manifests.deployment(), "metadata", "namespace");
        assertThat(namespace).as("the overlay's namespace").isNotBlank();
        assertThat(manifests.objects()).allSatisfy(o -> assertThat(str(o, "metadata", "namespace"))
                .as("namespace of %s %s", str(o, "kind"), str(o, "metadata", "name"))
                .isEqualTo(namespace));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void atLeastTwoPodsServeAndARolloutNeverTakesOneAwayBeforeItsReplacementIsReady(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, Object> deployment = manifests.deployment();
        Map<String, Object> hpa = manifests.named("HorizontalPodAutoscaler", "order-service");

        assertThat(integer(deployment, "spec", "replicas"))
                .isGreaterThanOrEqualTo(2)
                .as("replicas equal the HPA's minimum, so an apply never scales below it")
                .isEqualTo(integer(hpa, "spec", "minReplicas"));
        assertThat(integer(hpa, "spec", "maxReplicas")).isGreaterThanOrEqualTo(integer(hpa, "spec", "minReplicas"));
        assertThat(str(hpa, "spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
        assertThat(str(hpa, "spec", "scaleTargetRef", "name")).isEqualTo("order-service");

        assertThat(str(deployment, "spec", "strategy", "type")).isEqualTo("RollingUpdate");
        assertThat(str(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable"))
                .isEqualTo("0");
        assertThat(integer(deployment, "spec", "strategy", "rollingUpdate", "maxSurge"))
                .isGreaterThanOrEqualTo(1);

        Map<String, Object> pdb = manifests.named("PodDisruptionBudget", "order-service");
        assertThat(map(pdb, "spec", "selector", "matchLabels"))
                .isEqualTo(map(deployment, "spec", "selector", "matchLabels"));
        // Voluntary disruptions (drains) take at most one pod; with two or more, one always serves.
        assertThat(str(pdb, "spec", "maxUnavailable")).isEqualTo("1");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void startupLivenessAndReadinessProbePathsTheServiceServesOnTheManagementPort(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, Object> container = manifests.container();
        int managementPort = Integer.parseInt(manifests
                .config()
                .getOrDefault(
                        "QUARKUS_MANAGEMENT_PORT",
                        ServiceConfiguration.read().defaultValue("quarkus.management.port")));

        PROBE_PATHS.forEach((probe, path) -> {
            assertThat(str(container, probe, "httpGet", "path")).as(probe).isEqualTo(path);
            assertThat(containerPort(container, str(container, probe, "httpGet", "port")))
                    .as("%s port", probe)
                    .isEqualTo(managementPort);
        });
        // Startup (migrations, FF1 self-test) gets far longer than liveness would allow.
        assertThat(integer(container, "startupProbe", "periodSeconds")
                        * integer(container, "startupProbe", "failureThreshold"))
                .isGreaterThanOrEqualTo(120);
        assertThat(containerPort(container, "http")).isEqualTo(8080);
    }

    /**
     * The image bin/image builds runs as the user the pod asks for (a runAsUser the image does not expect would
     * still start, with files it cannot read), and says it listens on the ports the pod names.
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theImageRunsAsThePodsUserAndExposesThePortsThePodProbes(String overlay) throws IOException {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, Object> pod = map(manifests.deployment(), "spec", "template", "spec");
        List<String> lines = Files.readAllLines(CONTAINERFILE);

        List<String> users = lines.stream()
                .filter(l -> l.startsWith("USER "))
                .map(l -> l.substring(5).strip())
                .toList();
        assertThat(users).as("USER lines of %s", CONTAINERFILE).isNotEmpty();
        assertThat(users.get(users.size() - 1))
                .as("the user the image's last stage runs as")
                .isEqualTo(integer(pod, "securityContext", "runAsUser") + ":"
                        + integer(pod, "securityContext", "runAsGroup"));
        Set<String> exposed = new TreeSet<>();
        lines.stream()
                .filter(l -> l.startsWith("EXPOSE "))
                .forEach(l -> exposed.addAll(List.of(l.substring(7).strip().split("\\s+"))));
        Map<String, Object> container = manifests.container();
        assertThat(exposed)
                .containsExactlyInAnyOrder(
                        String.valueOf(containerPort(container, "http")),
                        String.valueOf(containerPort(container, "management")));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void thePodRunsAsNonRootOnAReadOnlyRootFilesystemWithAWritableTmp(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, Object> pod = map(manifests.deployment(), "spec", "template", "spec");
        Map<String, Object> container = manifests.container();

        assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
        assertThat(integer(pod, "securityContext", "runAsUser")).isPositive();
        assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(at(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(list(container, "securityContext", "capabilities", "drop")).contains("ALL");
        assertThat(at(pod, "automountServiceAccountToken")).isEqualTo(false);

        String tmpVolume = list(container, "volumeMounts").stream()
                .filter(m -> "/tmp".equals(str(m, "mountPath")))
                .map(m -> str(m, "name"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at /tmp: the JVM needs it writable"));
        assertThat(list(pod, "volumes")).anySatisfy(v -> {
            assertThat(str(v, "name")).isEqualTo(tmpVolume);
            assertThat(at(v, "emptyDir")).isNotNull();
        });
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theContainerHasResourceRequestsAndLimits(String overlay) {
        Map<String, Object> resources = map(Kustomize.overlay(overlay).container(), "resources");
        assertThat(map(resources, "requests")).containsKeys("cpu", "memory");
        assertThat(map(resources, "limits")).containsKeys("cpu", "memory");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void configurationComesFromTheConfigMapAndSecretsOnlyFromTheSecret(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, String> config = manifests.config();
        Map<String, String> fromSecret = KustomizeConfigurationTest.secretEnv(manifests);

        assertThat(fromSecret.keySet())
                .containsExactlyInAnyOrder(
                        "ORDERS_ORDER_NUMBER_KEY",
                        "ORDERS_ADMIN_TOKEN",
                        "QUARKUS_DATASOURCE_USERNAME",
                        "QUARKUS_DATASOURCE_PASSWORD");
        assertThat(config)
                .doesNotContainKeys("ORDERS_ORDER_NUMBER_KEY", "ORDERS_ADMIN_TOKEN", "QUARKUS_DATASOURCE_PASSWORD");
        assertThat(config).containsKeys("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_JDBC_MAX_SIZE");
        // Plain env values in the Deployment would bypass both: everything else is a reference.
        List<Object> env = list(manifests.container(), "env");
        assertThat(env).allSatisfy(e -> assertThat(at(e, "value"))
                .as("literal value of %s", str(e, "name"))
                .isNull());
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void onlyTheIngressControllerReachesTheApiAndOnlyPrometheusTheManagementPort(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, Object> policy = manifests.named("NetworkPolicy", "order-service");
        Map<String, Object> container = manifests.container();

        assertThat(map(policy, "spec", "podSelector", "matchLabels"))
                .isEqualTo(map(manifests.deployment(), "spec", "selector", "matchLabels"));
        assertThat(list(policy, "spec", "policyTypes")).contains("Ingress");
        List<Object> rules = list(policy, "spec", "ingress");
        assertThat(rules).hasSize(2);
        Map<Integer, String> callerByPort = new java.util.HashMap<>();
        for (Object rule : rules) {
            // A rule without `from` or without `ports` would admit everyone, or every port.
            List<Object> from = list(rule, "from");
            List<Object> ports = list(rule, "ports");
            assertThat(from).hasSize(1);
            assertThat(ports).hasSize(1);
            assertThat(map(from.get(0), "namespaceSelector", "matchLabels")).isNotEmpty();
            assertThat(map(from.get(0), "podSelector", "matchLabels")).isNotEmpty();
            int port = containerPort(container, str(ports.get(0), "port"));
            callerByPort.put(port, str(from.get(0), "podSelector", "matchLabels", "app.kubernetes.io/name"));
        }
        assertThat(callerByPort).containsExactlyInAnyOrderEntriesOf(Map.of(8080, "ingress-nginx", 9000, "prometheus"));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theStorefrontIngressRoutesTheOrderApiButNeitherTheAdminApiNorTheManagementPort(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, Object> ingress = manifests.named("Ingress", "order-service");
        List<String> paths = new java.util.ArrayList<>();
        for (Object rule : list(ingress, "spec", "rules")) {
            for (Object path : list(rule, "http", "paths")) {
                paths.add(str(path, "path"));
                assertThat(str(path, "backend", "service", "name")).isEqualTo("order-service");
                assertThat(str(path, "backend", "service", "port", "name")).isEqualTo("http");
            }
        }
        assertThat(paths)
                .contains("/orders")
                .noneMatch(p -> p.equals("/")
                        || p.startsWith("/admin")
                        || p.startsWith("/q/health")
                        || p.startsWith("/q/metrics")
                        || p.startsWith("/q/slo")
                        || p.startsWith("/q/status"));
        // The Service behind it does not even carry the management port.
        List<Object> ports = list(manifests.named("Service", "order-service"), "spec", "ports");
        assertThat(ports).extracting(p -> str(p, "port")).containsExactly("8080");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void prometheusScrapesTheManagementPortAndKeepsTheNumberSpaceLabelApartFromTheKubernetesNamespace(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, Object> monitor = manifests.named("ServiceMonitor", "order-service");
        Map<String, Object> management = manifests.named("Service", "order-service-management");

        assertThat(map(management, "metadata", "labels"))
                .containsAllEntriesOf(map(monitor, "spec", "selector", "matchLabels"));
        assertThat(map(manifests.named("Service", "order-service"), "metadata", "labels"))
                .as("the storefront Service must not be scraped")
                .doesNotContainEntry("app.kubernetes.io/component", "management");
        Map<String, Object> endpoint = map(monitor, "spec", "endpoints", 0);
        assertThat(str(endpoint, "path")).isEqualTo("/q/metrics");
        assertThat(list(management, "spec", "ports")).anySatisfy(p -> {
            assertThat(str(p, "name")).isEqualTo(str(endpoint, "port"));
            assertThat(str(p, "port")).isEqualTo("9000");
        });
        assertThat(str(monitor, "spec", "jobLabel")).isEqualTo("app.kubernetes.io/name");
        assertThat(str(management, "metadata", "labels", "app.kubernetes.io/name"))
                .isEqualTo("order-service");
        assertThat(list(endpoint, "metricRelabelings")).anySatisfy(r -> {
            assertThat(list(r, "sourceLabels")).containsExactly("exported_namespace");
            assertThat(str(r, "targetLabel")).isEqualTo("number_space");
        });
    }

    /**
     * An order acknowledged before a failover must still be there after it: otherwise the promoted standby's
     * sequence is behind the numbers already given out, and it issues them again to other orders.
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyCommitReachesAStandbyBeforeItIsAcknowledgedSoAFailoverNeverReissuesANumber(String overlay) {
        Map<String, Object> cluster = Kustomize.overlay(overlay).one("Cluster");
        Map<String, Object> synchronous = map(cluster, "spec", "postgresql", "synchronous");
        assertThat(str(synchronous, "method")).isIn("any", "first");
        assertThat(integer(synchronous, "number")).isBetween(1, integer(cluster, "spec", "instances") - 1);
        // `preferred` would fall back to acknowledging on the primary alone when no standby answers.
        Object durability = at(synchronous, "dataDurability");
        assertThat(durability == null ? "required" : durability.toString()).isEqualTo("required");
        Object commit = at(cluster, "spec", "postgresql", "parameters", "synchronous_commit");
        assertThat(commit == null ? "on" : commit.toString())
                .as("synchronous_commit")
                .isIn("on", "remote_write", "remote_apply");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void postgresqlIsAThreeInstanceCloudNativePgClusterThatTheServiceReachesThroughItsPooler(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, Object> cluster = manifests.one("Cluster");
        Map<String, Object> pooler = manifests.one("Pooler");
        String url = manifests.config().get("QUARKUS_DATASOURCE_JDBC_URL");

        assertThat(str(cluster, "apiVersion")).startsWith("postgresql.cnpg.io/");
        assertThat(integer(cluster, "spec", "instances")).isEqualTo(3);
        assertThat(str(cluster, "spec", "postgresql", "parameters", "max_connections"))
                .as("max_connections")
                .matches("\\d+");
        assertThat(str(pooler, "spec", "cluster", "name")).isEqualTo(str(cluster, "metadata", "name"));
        assertThat(str(pooler, "spec", "type")).isEqualTo("rw");

        // jdbc:postgresql://<pooler service>:5432/<database>?...
        var jdbc = JDBC_URL.matcher(url);
        assertThat(jdbc.matches()).as("JDBC URL %s", url).isTrue();
        assertThat(jdbc.group(1)).as("host: the Pooler's Service").isEqualTo(str(pooler, "metadata", "name"));
        assertThat(jdbc.group(3)).isEqualTo(str(cluster, "spec", "bootstrap", "initdb", "database"));
        if ("transaction".equals(str(pooler, "spec", "pgbouncer", "poolMode"))) {
            // Named server-side prepared statements would be missing on the next transaction's backend.
            assertThat(jdbc.group(4))
                    .as("JDBC URL parameters under transaction pooling")
                    .contains("prepareThreshold=0");
        }
        // The database owner is created from the very Secret the service logs in with.
        String secret = str(cluster, "spec", "bootstrap", "initdb", "secret", "name");
        assertThat(KustomizeConfigurationTest.secretNames(manifests)).containsExactly(secret);
        assertThat(str(cluster, "spec", "bootstrap", "initdb", "owner"))
                .isEqualTo(str(KustomizeConfigurationTest.exampleSecret(), "stringData", "username"));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theChangeListenerReachesThePrimaryDirectlyWhenThePoolerLendsBackendsPerTransaction(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, Object> cluster = manifests.one("Cluster");
        Map<String, Object> pooler = manifests.one("Pooler");
        if (!"transaction".equals(str(pooler, "spec", "pgbouncer", "poolMode"))) {
            return;
        }
        // LISTEN is session state: through the pooler it would be left on a backend lent to someone else, and the
        // cached API keys would never hear a revoke. CloudNativePG's <cluster>-rw Service is the primary.
        String url = manifests.config().get("ORDERS_DATABASE_NOTIFICATIONS_JDBC_URL");
        assertThat(url).as("ORDERS_DATABASE_NOTIFICATIONS_JDBC_URL").isNotNull();
        var jdbc = JDBC_URL.matcher(url);
        assertThat(jdbc.matches()).as("JDBC URL %s", url).isTrue();
        assertThat(jdbc.group(1)).isEqualTo(str(cluster, "metadata", "name") + "-rw");
        assertThat(jdbc.group(3)).isEqualTo(str(cluster, "spec", "bootstrap", "initdb", "database"));
    }

    /** jdbc:postgresql://host[:port]/database[?parameters]: host group 1, database group 3, parameters group 4. */
    private static final java.util.regex.Pattern JDBC_URL =
            java.util.regex.Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+)(\\?.*)?");

    /** The containerPort a probe or policy names, by name or by number. */
    static int containerPort(Map<String, Object> container, String port) {
        if (port.matches("\\d+")) {
            return Integer.parseInt(port);
        }
        return list(container, "ports").stream()
                .filter(p -> port.equals(str(p, "name")))
                .map(p -> integer(p, "containerPort"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port));
    }
}
