package io.dispensary.orders.deploy;

import io.dispensary.orders.common.OrdersConfig;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the service reads, derived from its own sources rather than from a list kept by hand: the keys of
 * {@code application.properties} (any profile), every property of the {@link OrdersConfig} mapping (the SLO map
 * expanded with the endpoints application.properties names), and a short list of standard Quarkus and JVM
 * settings the manifests may set although the service leaves them at their defaults.
 */
final class ServiceConfiguration {

    /** Standard settings the deployment uses that application.properties does not mention. */
    static final Set<String> STANDARD = Set.of(
            // Lets in-flight requests finish on SIGTERM during a rollout (Quarkus runtime property).
            "quarkus.shutdown.timeout");

    /** Read by the JVM or by the container image's launcher, not by Quarkus. */
    static final Set<String> RUNTIME_ENV = Set.of("JAVA_TOOL_OPTIONS", "JAVA_OPTS", "JAVA_OPTS_APPEND");

    private static final Path APPLICATION_PROPERTIES = Path.of("src/main/resources/application.properties");

    private final Map<String, String> defaults;
    private final Set<String> properties;

    private ServiceConfiguration(Map<String, String> defaults, Set<String> properties) {
        this.defaults = defaults;
        this.properties = properties;
    }

    static ServiceConfiguration read() {
        Properties raw = new Properties();
        try (Reader reader = Files.newBufferedReader(APPLICATION_PROPERTIES, StandardCharsets.UTF_8)) {
            raw.load(reader);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + APPLICATION_PROPERTIES, e);
        }
        Map<String, String> defaults = new TreeMap<>();
        Set<String> properties = new TreeSet<>(STANDARD);
        for (String key : raw.stringPropertyNames()) {
            // %dev.orders.admin-token -> orders.admin-token
            String property = key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key;
            properties.add(property);
            if (!key.startsWith("%")) {
                defaults.put(property, raw.getProperty(key));
            }
        }
        Set<String> sloNames = new TreeSet<>();
        for (String property : properties) {
            if (property.startsWith("orders.slo.")) {
                sloNames.add(property.substring("orders.slo.".length(), property.lastIndexOf('.')));
            }
        }
        Map<String, String> mappingDefaults = new TreeMap<>();
        walk(OrdersConfig.class, "orders", sloNames, properties, mappingDefaults);
        // application.properties wins over the mapping's @WithDefault, as in Quarkus.
        mappingDefaults.forEach(defaults::putIfAbsent);
        return new ServiceConfiguration(defaults, properties);
    }

    /** Every property the service reads, e.g. {@code orders.capacity.rate-window}. */
    Set<String> properties() {
        return properties;
    }

    /** The names an environment variable may have to set one of them, plus the JVM's own. */
    Set<String> envNames() {
        Set<String> names = new TreeSet<>(RUNTIME_ENV);
        properties.forEach(p -> names.add(envName(p)));
        return names;
    }

    /**
     * The value the service uses for a property when the environment does not set it: application.properties
     * for the prod profile (no %dev/%test), else the mapping's @WithDefault; null if neither has one.
     */
    String defaultValue(String property) {
        return defaults.get(property);
    }

    /** The SLO names (critical endpoints) application.properties configures. */
    Set<String> sloNames() {
        Set<String> names = new TreeSet<>();
        defaults.keySet().stream()
                .filter(p -> p.startsWith("orders.slo.") && p.endsWith(".objective"))
                .forEach(p -> names.add(p.substring("orders.slo.".length(), p.length() - ".objective".length())));
        return names;
    }

    /** The value a deployment gives a property: its ConfigMap's if it sets one, else the service's default. */
    String effective(Map<String, String> configMap, String property) {
        String fromConfigMap = configMap.get(envName(property));
        String value = fromConfigMap != null ? fromConfigMap : defaultValue(property);
        if (value == null) {
            throw new AssertionError("the deployment gives " + property + " no value and the service has no default");
        }
        return value;
    }

    /** How Quarkus maps a property to an environment variable: upper case, every other character an underscore. */
    static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** A Quarkus/SmallRye duration as the service accepts it: 30d, 24h, 15s, 300ms or ISO-8601 (PT1S). */
    static Duration duration(String value) {
        String v = value.trim();
        if (v.matches("\\d+ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.matches("\\d+[dhms]")) {
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (Character.toLowerCase(v.charAt(v.length() - 1))) {
                case 'd' -> Duration.ofDays(n);
                case 'h' -> Duration.ofHours(n);
                case 'm' -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
        }
        if (v.matches("\\d+[DHMS]")) {
            return duration(v.toLowerCase(Locale.ROOT));
        }
        return Duration.parse(v.startsWith("P") ? v : "PT" + v);
    }

    /** Adds the properties of a @ConfigMapping interface: methods become kebab-case names, groups recurse. */
    private static void walk(
            Class<?> mapping, String prefix, Set<String> sloNames, Set<String> into, Map<String, String> defaults) {
        for (Method method : mapping.getDeclaredMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault() || method.getParameterCount() > 0) {
                continue;
            }
            String name = prefix + "." + kebab(method.getName());
            Type type = method.getGenericReturnType();
            if (method.getReturnType() == Map.class
                    && type instanceof ParameterizedType generic
                    && generic.getActualTypeArguments()[1] instanceof Class<?> group
                    && isGroup(group)) {
                for (String key : sloNames) {
                    walk(group, name + "." + key, sloNames, into, defaults);
                }
            } else if (isGroup(method.getReturnType())) {
                walk(method.getReturnType(), name, sloNames, into, defaults);
            } else {
                into.add(name);
                WithDefault withDefault = method.getAnnotation(WithDefault.class);
                if (withDefault != null) {
                    defaults.put(name, withDefault.value());
                }
            }
        }
    }

    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && type.getName().startsWith(OrdersConfig.class.getName());
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
