package io.dispensary.orders.deploy;

import static io.dispensary.orders.deploy.Manifests.at;
import static io.dispensary.orders.deploy.Manifests.integer;
import static io.dispensary.orders.deploy.Manifests.str;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The pool-exhaustion incident must not come back through the deployment: at the HPA's maximum, plus the pod
 * a rolling update adds, every pod's full pool fits PgBouncer, and PgBouncer's backends fit PostgreSQL's
 * max_connections with headroom. The direct path (service straight to the primary) must fit too, so that
 * bypassing the pooler in an emergency does not recreate the incident. k8s/README.md "Sizing" explains it.
 */
class KustomizeDatabaseSizingTest {

    static final List<String> OVERLAYS = Kustomize.OVERLAYS;

    /**
     * Connections PostgreSQL must keep for others than the service's pools, on top of
     * superuser_reserved_connections: the CloudNativePG instance manager and its metrics exporter, PgBouncer's
     * auth_query login (one per PgBouncer pod), and people and jobs (psql, a one-off migration or backfill).
     */
    static final int HEADROOM = 10;

    /** What has to fit, read from one rendered overlay. */
    record Sizing(
            int maxReplicas,
            int surge,
            int poolMax,
            int maxConnections,
            int superuserReserved,
            int poolerInstances,
            int maxClientConn,
            int serverConnectionsPerPooler) {

        static Sizing of(Manifests manifests) {
            Map<String, Object> hpa = manifests.named("HorizontalPodAutoscaler", "order-service");
            Map<String, Object> deployment = manifests.deployment();
            Map<String, Object> cluster = manifests.one("Cluster");
            Map<String, Object> pooler = manifests.one("Pooler");
            Map<String, Object> pgbouncer = Manifests.map(pooler, "spec", "pgbouncer", "parameters");

            int maxReplicas = integer(hpa, "spec", "maxReplicas");
            int surge = pods(str(deployment, "spec", "strategy", "rollingUpdate", "maxSurge"), maxReplicas);
            String poolMax = manifests
                    .config()
                    .getOrDefault(
                            "QUARKUS_DATASOURCE_JDBC_MAX_SIZE",
                            ServiceConfiguration.read().defaultValue("quarkus.datasource.jdbc.max-size"));
            Object reserved = at(cluster, "spec", "postgresql", "parameters", "superuser_reserved_connections");
            // PgBouncer opens up to default_pool_size (+ reserve_pool_size when clients wait) per database and
            // user; the service is the one pair. max_db_connections caps it whatever the pairs.
            int perPair = integer(pgbouncer, "default_pool_size")
                    + (pgbouncer.containsKey("reserve_pool_size") ? integer(pgbouncer, "reserve_pool_size") : 0);
            int perPooler = pgbouncer.containsKey("max_db_connections")
                    ? Math.min(perPair, integer(pgbouncer, "max_db_connections"))
                    : perPair;
            return new Sizing(
                    maxReplicas,
                    surge,
                    Integer.parseInt(poolMax),
                    integer(cluster, "spec", "postgresql", "parameters", "max_connections"),
                    reserved == null ? 3 : Integer.parseInt(reserved.toString()),
                    integer(pooler, "spec", "instances"),
                    integer(pgbouncer, "max_client_conn"),
                    perPooler);
        }

        /** The most pods that can run at once: the HPA's maximum while a rollout adds its surge. */
        int mostPods() {
            return maxReplicas + surge;
        }

        /** Connections all pods together can open: each pod's pool, and the readiness check's own connection. */
        int serviceConnections() {
            return mostPods() * (poolMax + 1);
        }

        /** Connections all pods open straight to the primary whatever the pooler does: each one's change listener. */
        int listenerConnections() {
            return mostPods();
        }

        /** Connections PostgreSQL grants to non-superusers. */
        int usable() {
            return maxConnections - superuserReserved;
        }

        /** What does not fit, in words; empty when everything does. */
        List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (serviceConnections() + listenerConnections() + HEADROOM > usable()) {
                problems.add(String.format(
                        "without the pooler, %d pods x (pool %d + 1 readiness + 1 listener) = %d connections + %d"
                                + " headroom exceed max_connections %d - %d superuser-reserved",
                        mostPods(),
                        poolMax,
                        serviceConnections() + listenerConnections(),
                        HEADROOM,
                        maxConnections,
                        superuserReserved));
            }
            if (serviceConnections() > maxClientConn) {
                problems.add(String.format(
                        "%d pods x (pool %d + 1 readiness) = %d client connections exceed one PgBouncer's"
                                + " max_client_conn %d (the Service may send them all to one pod)",
                        mostPods(), poolMax, serviceConnections(), maxClientConn));
            }
            if (poolerInstances * serverConnectionsPerPooler + listenerConnections() + HEADROOM > usable()) {
                problems.add(String.format(
                        "%d PgBouncer pods x %d backends + %d listeners + %d headroom exceed max_connections"
                                + " %d - %d superuser-reserved",
                        poolerInstances,
                        serverConnectionsPerPooler,
                        listenerConnections(),
                        HEADROOM,
                        maxConnections,
                        superuserReserved));
            }
            return problems;
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyPodsPoolFitsPgBouncerAndPgBouncerFitsPostgresqlWithHeadroom(String overlay) {
        Sizing sizing = Sizing.of(Kustomize.overlay(overlay));
        assertThat(sizing.problems()).as("%s: %s", overlay, sizing).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void maxConnectionsIsSetExplicitlyAndPgBouncerCapsItsBackends(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, Object> parameters = Manifests.map(manifests.one("Pooler"), "spec", "pgbouncer", "parameters");
        assertThat(parameters).containsKeys("max_client_conn", "default_pool_size", "max_db_connections");
        assertThat(str(manifests.one("Cluster"), "spec", "postgresql", "parameters", "max_connections"))
                .isNotBlank();
    }

    /**
     * Under transaction pooling a pooled connection is always free (it is a PgBouncer client): the wait moves into
     * PgBouncer. It must end as soon as the service's own wait would, so overload is a fast 503, not a 500 after
     * PgBouncer's default of two minutes (ProblemMappers maps PgBouncer's query_wait_timeout to the 503).
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void aTransactionWaitsForAPgBouncerBackendNoLongerThanForAPooledConnection(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, Object> parameters = Manifests.map(manifests.one("Pooler"), "spec", "pgbouncer", "parameters");
        String acquisition = manifests
                .config()
                .getOrDefault(
                        "QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT",
                        ServiceConfiguration.read().defaultValue("quarkus.datasource.jdbc.acquisition-timeout"));
        java.time.Duration serviceBound = java.time.Duration.parse("PT" + acquisition.toUpperCase());
        // 0 would mean "wait for ever"; PgBouncer reads seconds.
        assertThat(parameters).containsKey("query_wait_timeout");
        double pgBouncerSeconds = Double.parseDouble(str(parameters, "query_wait_timeout"));
        assertThat(pgBouncerSeconds)
                .as("%s: query_wait_timeout", overlay)
                .isGreaterThan(0)
                .isLessThanOrEqualTo(serviceBound.toMillis() / 1000.0);
        // The reserve backends the server-side sizing counts serve only clients that waited reserve_pool_timeout
        // (5 s unless set): it must come before the client is dropped, or the reserve is never used.
        if (parameters.containsKey("reserve_pool_size") && integer(parameters, "reserve_pool_size") > 0) {
            assertThat(parameters).containsKey("reserve_pool_timeout");
            assertThat(Double.parseDouble(str(parameters, "reserve_pool_timeout")))
                    .as("%s: reserve_pool_timeout", overlay)
                    .isGreaterThan(0)
                    .isLessThan(pgBouncerSeconds);
        }
    }

    /**
     * Behind PgBouncer's transaction pooling a transaction can run on a backend that PgBouncer opened, which never
     * saw the SET the service sends on its own new connections: the role's defaults must carry the same timeouts.
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyBackendKeepsTheServicesTimeBudgetThroughTheRolesDefaults(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        String value = manifests
                .config()
                .getOrDefault(
                        "ORDERS_DATABASE_BUDGET", ServiceConfiguration.read().defaultValue("orders.database.budget"));
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d+)(ms|s)").matcher(value);
        assertThat(m.matches()).as("budget %s", value).isTrue();
        java.time.Duration budget = m.group(2).equals("s")
                ? java.time.Duration.ofSeconds(Long.parseLong(m.group(1)))
                : java.time.Duration.ofMillis(Long.parseLong(m.group(1)));
        List<Object> sql =
                Manifests.list(manifests.one("Cluster"), "spec", "bootstrap", "initdb", "postInitApplicationSQL");
        String owner = str(manifests.one("Cluster"), "spec", "bootstrap", "initdb", "owner");
        assertThat(sql)
                .as("%s: the role's timeouts", overlay)
                .contains(
                        "ALTER ROLE " + owner + " SET statement_timeout = '"
                                + io.dispensary.orders.common.database.DatabaseBudget.statementMillis(budget) + "ms'",
                        "ALTER ROLE " + owner + " SET lock_timeout = '"
                                + io.dispensary.orders.common.database.DatabaseBudget.lockMillis(budget) + "ms'");
    }

    @Test
    void theSizingCheckRejectsTheIncidentsShape() {
        Sizing prod = Sizing.of(Kustomize.overlay("prod"));
        // Twenty pods at the default pool of 16 against max_connections 200: what the incident looked like.
        Sizing tooManyPods = new Sizing(
                20,
                1,
                16,
                prod.maxConnections(),
                prod.superuserReserved(),
                prod.poolerInstances(),
                prod.maxClientConn(),
                prod.serverConnectionsPerPooler());
        assertThat(tooManyPods.problems())
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("without the pooler").contains("21 pods"))
                .anySatisfy(p -> assertThat(p).contains("max_client_conn"));
        // The rollout's extra pod counts: exactly full at maxReplicas, over with the surge.
        // Each pod: its pool, the readiness check's connection and the change listener's.
        int fullAtMax = (prod.usable() - HEADROOM) / (prod.poolMax() + 2);
        Sizing noRoomForSurge = new Sizing(
                fullAtMax,
                1,
                prod.poolMax(),
                prod.maxConnections(),
                prod.superuserReserved(),
                prod.poolerInstances(),
                10_000,
                prod.serverConnectionsPerPooler());
        assertThat(new Sizing(
                                fullAtMax,
                                0,
                                prod.poolMax(),
                                prod.maxConnections(),
                                prod.superuserReserved(),
                                prod.poolerInstances(),
                                10_000,
                                prod.serverConnectionsPerPooler())
                        .problems())
                .isEmpty();
        assertThat(noRoomForSurge.problems()).hasSize(1);
        // Too many PgBouncer backends.
        assertThat(new Sizing(1, 1, 1, prod.maxConnections(), prod.superuserReserved(), 10, 100, 20).problems())
                .singleElement()
                .asString()
                .contains("PgBouncer pods");
    }

    @Test
    void aPercentSurgeRoundsUpLikeKubernetes() {
        assertThat(pods("25%", 8)).isEqualTo(2);
        assertThat(pods("25%", 3)).isEqualTo(1);
        assertThat(pods("1", 8)).isEqualTo(1);
    }

    /** A rollingUpdate maxSurge as pods: an int, or a percentage of replicas rounded up. */
    static int pods(String surge, int replicas) {
        if (surge == null) {
            return pods("25%", replicas);
        }
        if (surge.endsWith("%")) {
            return (int) Math.ceil(replicas * Integer.parseInt(surge.substring(0, surge.length() - 1)) / 100.0);
        }
        return Integer.parseInt(surge);
    }
}
