package io.dispensary.orders.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The objects of one rendered overlay, with small helpers to walk the untyped YAML they are read into. */
record Manifests(List<Map<String, Object>> objects) {

    static Manifests parse(String yaml) {
        return new Manifests(List.copyOf(Kustomize.loadAll(yaml)));
    }

    List<Map<String, Object>> all(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    /** The only object of this kind; fails if there are none or several. */
    Map<String, Object> one(String kind) {
        List<Map<String, Object>> found = all(kind);
        assertThat(found).as("objects of kind %s", kind).hasSize(1);
        return found.get(0);
    }

    Map<String, Object> named(String kind, String name) {
        List<Map<String, Object>> found = all(kind).stream()
                .filter(o -> name.equals(str(o, "metadata", "name")))
                .toList();
        assertThat(found).as("%s %s", kind, name).hasSize(1);
        return found.get(0);
    }

    // --- walking untyped YAML ----------------------------------------------------------------------------------

    /** The value at a path of map keys and list indexes (as Integer), or null where the path ends early. */
    static Object at(Object root, Object... path) {
        Object current = root;
        for (Object step : path) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else if (current instanceof List<?> list && step instanceof Integer index && index < list.size()) {
                current = list.get(index);
            } else {
                return null;
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object root, Object... path) {
        Object value = at(root, path);
        assertThat(value).as("a map at %s", List.of(path)).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object root, Object... path) {
        Object value = at(root, path);
        assertThat(value).as("a list at %s", List.of(path)).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    /** The value as a string (YAML may have read "8" as an int), or null. */
    static String str(Object root, Object... path) {
        Object value = at(root, path);
        return value == null ? null : value.toString();
    }

    static int integer(Object root, Object... path) {
        String value = str(root, path);
        assertThat(value).as("an integer at %s", List.of(path)).isNotNull().matches("-?\\d+");
        return Integer.parseInt(value);
    }

    // --- things several tests need -----------------------------------------------------------------------------

    Map<String, Object> deployment() {
        return named("Deployment", "order-service");
    }

    Map<String, Object> container() {
        List<Object> containers = list(deployment(), "spec", "template", "spec", "containers");
        return containers.stream()
                .map(c -> (Map<String, Object>) cast(c))
                .filter(c -> "order-service".equals(c.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container order-service in the Deployment"));
    }

    /** The service's ConfigMap as the pods see it (kustomize gives it a hash suffix). */
    Map<String, String> config() {
        String name = str(container(), "envFrom", 0, "configMapRef", "name");
        assertThat(name).as("the container's envFrom ConfigMap").startsWith("order-service-config");
        Map<String, Object> data = map(named("ConfigMap", name), "data");
        return data.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> Objects.toString(e.getValue())));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}
