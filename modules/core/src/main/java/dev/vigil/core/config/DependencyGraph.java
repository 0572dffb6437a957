package dev.vigil.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the dependency graph of one hierarchy: every dependency names another resource of
 * the same hierarchy, there is no cycle, the root is one of the resources, nothing depends on
 * it and it reaches every resource. Every cycle is reported in one run, one per group of
 * resources that depend on each other in a circle (a strongly connected component), shown
 * from its resource written first: {@code a -> b -> c -> a}.
 */
final class DependencyGraph {
    private final Map<String, List<String>> edges;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final List<String> stack = new ArrayList<>();
    private final Set<String> onStack = new LinkedHashSet<>();
    private final List<Set<String>> components = new ArrayList<>();

    private DependencyGraph(Map<String, List<String>> edges) {
        this.edges = edges;
    }

    /**
     * Checks one hierarchy, recording each problem on the entry it is about; true when the
     * graph is sound.
     *
     * @param hierarchy        the hierarchy entry
     * @param rootTag          its tag ({@code null} when unusable: nothing to check)
     * @param resources        its resources with a usable tag, in the order written
     * @param readers          the entry of each of those resources, by tag
     * @param tagOwners        every tag of the cluster → where it was written, to name a foreign one
     * @param dependenciesRead false when some depends-on could not be read (the graph is incomplete)
     */
    static boolean check(ConfigReader hierarchy, String rootTag, List<ResourceConfig> resources,
                         Map<String, ConfigReader> readers, Map<String, String> tagOwners, boolean dependenciesRead) {
        if (rootTag == null || resources.isEmpty()) {
            return false;
        }
        boolean ok = true;
        Set<String> tags = readers.keySet();
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (ResourceConfig r : resources) {
            List<String> known = new ArrayList<>();
            for (String dep : r.dependsOn()) {
                if (dep.equals(r.tag())) {
                    readers.get(r.tag()).problem("depends-on", "'" + r.tag() + "' depends on itself");
                    ok = false;
                } else if (!tags.contains(dep) && tagOwners.containsKey(dep)) {
                    readers.get(r.tag()).problem("depends-on", "'" + dep + "' is a resource of " + tagOwners.get(dep)
                            + "; a resource can depend only on resources of its own hierarchy");
                    ok = false;
                } else if (!tags.contains(dep)) {
                    readers.get(r.tag()).problem("depends-on", "unknown tag '" + dep + "' "
                            + ConfigReader.hint(dep, "known in this hierarchy", new TreeSet<>(tags)));
                    ok = false;
                } else {
                    known.add(dep);
                }
            }
            edges.put(r.tag(), known);
        }
        for (List<String> cycle : cycles(edges)) {
            readers.get(cycle.get(0)).problem("depends-on", "dependency cycle: " + String.join(" -> ", cycle));
            ok = false;
        }
        if (!tags.contains(rootTag)) {
            hierarchy.problem("tag", "'" + rootTag + "' must be the tag of one of the hierarchy's resources"
                    + " (its root); found: " + String.join(", ", new TreeSet<>(tags)));
            return false;
        }
        for (ResourceConfig r : resources) {
            if (!r.tag().equals(rootTag) && r.dependsOn().contains(rootTag)) {
                readers.get(r.tag()).problem("depends-on", "depends on the hierarchy's root '" + rootTag
                        + "'; the root must be the top of the hierarchy");
                ok = false;
            }
        }
        if (!ok || !dependenciesRead) {
            // Reachability over a graph with a wrong or unread edge would only report its echoes.
            return false;
        }
        Set<String> reached = new LinkedHashSet<>();
        reach(rootTag, edges, reached);
        for (ResourceConfig r : resources) {
            if (!reached.contains(r.tag())) {
                readers.get(r.tag()).problem("tag", "'" + r.tag() + "' is not reached from the hierarchy's root '"
                        + rootTag + "'; add it to a depends-on list or move it to a hierarchy of its own");
                ok = false;
            }
        }
        return ok;
    }

    private static void reach(String tag, Map<String, List<String>> edges, Set<String> reached) {
        if (reached.add(tag)) {
            edges.getOrDefault(tag, List.of()).forEach(d -> reach(d, edges, reached));
        }
    }

    /**
     * @param edges every tag, in the order written, with the tags it depends on (all of them
     *              keys of the map; no tag depends on itself)
     * @return the cycles, each as tags ending where it began, ordered by their first tag
     */
    static List<List<String>> cycles(Map<String, List<String>> edges) {
        DependencyGraph c = new DependencyGraph(edges);
        for (String tag : edges.keySet()) {
            if (!c.index.containsKey(tag)) {
                c.connect(tag);
            }
        }
        List<List<String>> cycles = new ArrayList<>();
        for (String tag : edges.keySet()) {
            c.components.stream()
                    .filter(component -> component.size() > 1 && first(edges, component).equals(tag))
                    .forEach(component -> cycles.add(c.cycleThrough(tag, component)));
        }
        return cycles;
    }

    private static String first(Map<String, List<String>> edges, Set<String> component) {
        return edges.keySet().stream().filter(component::contains).findFirst().orElseThrow();
    }

    /** Tarjan's algorithm: collects the strongly connected components reachable from {@code tag}. */
    private void connect(String tag) {
        index.put(tag, index.size());
        low.put(tag, index.get(tag));
        stack.add(tag);
        onStack.add(tag);
        for (String next : edges.getOrDefault(tag, List.of())) {
            if (!index.containsKey(next)) {
                connect(next);
                low.put(tag, Math.min(low.get(tag), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(tag, Math.min(low.get(tag), index.get(next)));
            }
        }
        if (low.get(tag).equals(index.get(tag))) {
            Set<String> component = new LinkedHashSet<>();
            String t;
            do {
                t = stack.remove(stack.size() - 1);
                onStack.remove(t);
                component.add(t);
            } while (!t.equals(tag));
            components.add(component);
        }
    }

    /** A simple cycle from {@code start} back to it, staying inside its component. */
    private List<String> cycleThrough(String start, Set<String> component) {
        List<String> path = new ArrayList<>();
        path.add(start);
        walk(start, start, component, path, new LinkedHashSet<>());
        path.add(start);
        return path;
    }

    private boolean walk(String tag, String start, Set<String> component, List<String> path, Set<String> visited) {
        for (String next : edges.getOrDefault(tag, List.of())) {
            if (next.equals(start)) {
                return true;
            }
            if (component.contains(next) && visited.add(next)) {
                path.add(next);
                if (walk(next, start, component, path, visited)) {
                    return true;
                }
                path.remove(path.size() - 1);
            }
        }
        return false;
    }
}
