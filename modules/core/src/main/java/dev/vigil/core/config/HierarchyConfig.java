package dev.vigil.core.config;

import dev.vigil.core.Switchback;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A resource hierarchy: a DAG of resources that always lives on one server. It is named by the
 * tag of its root (the one resource nothing else depends on, e.g. {@code powergres-/share/data}).
 * {@code priorities} maps server names to priorities in ascending order (1 = primary).
 * The loader guarantees the graph is acyclic, every dependency is known, and every resource is
 * reachable from the root.
 */
public record HierarchyConfig(String tag, Map<String, Integer> priorities, Switchback switchback,
                              List<ResourceConfig> resources) {

    public Optional<ResourceConfig> resource(String resourceTag) {
        return resources.stream().filter(r -> r.tag().equals(resourceTag)).findFirst();
    }

    public ResourceConfig root() {
        return resource(tag).orElseThrow();
    }

    /** The server with the highest priority (lowest number). */
    public String primary() {
        return priorities.keySet().iterator().next();
    }

    /** Servers in priority order, primary first. */
    public List<String> serversByPriority() {
        return List.copyOf(priorities.keySet());
    }

    /** The order to bring resources in service: every resource after all it depends on. */
    public List<ResourceConfig> restoreOrder() {
        Set<String> done = new LinkedHashSet<>();
        visitChildrenFirst(tag, done);
        List<ResourceConfig> out = new ArrayList<>();
        for (String t : done) {
            out.add(resource(t).orElseThrow());
        }
        return out;
    }

    /** Every resource {@code resourceTag} depends on, directly or below, each after all it depends on itself. */
    public List<ResourceConfig> dependenciesOf(String resourceTag) {
        Set<String> done = new LinkedHashSet<>();
        visitChildrenFirst(resourceTag, done);
        done.remove(resourceTag);
        List<ResourceConfig> out = new ArrayList<>();
        for (String t : done) {
            out.add(resource(t).orElseThrow());
        }
        return out;
    }

    /** The order to take resources out of service: the reverse of {@link #restoreOrder()}. */
    public List<ResourceConfig> removeOrder() {
        List<ResourceConfig> order = new ArrayList<>(restoreOrder());
        java.util.Collections.reverse(order);
        return order;
    }

    private void visitChildrenFirst(String t, Set<String> done) {
        if (done.contains(t)) {
            return;
        }
        ResourceConfig r = resource(t).orElseThrow();
        for (String child : r.dependsOn()) {
            visitChildrenFirst(child, done);
        }
        done.add(t);
    }

    /**
     * The tree as status prints it: each resource with its depth below the root, parents before
     * their children, each resource once (under the first parent that reaches it).
     */
    public List<Map.Entry<ResourceConfig, Integer>> displayTree() {
        List<Map.Entry<ResourceConfig, Integer>> out = new ArrayList<>();
        walk(tag, 0, new LinkedHashSet<>(), out);
        return out;
    }

    private void walk(String t, int depth, Set<String> seen, List<Map.Entry<ResourceConfig, Integer>> out) {
        if (!seen.add(t)) {
            return;
        }
        ResourceConfig r = resource(t).orElseThrow();
        out.add(Map.entry(r, depth));
        for (String child : r.dependsOn()) {
            walk(child, depth + 1, seen, out);
        }
    }

    /** Tags of the resources that depend directly on {@code resourceTag}. */
    public List<String> dependents(String resourceTag) {
        return resources.stream().filter(r -> r.dependsOn().contains(resourceTag)).map(ResourceConfig::tag).toList();
    }

    /** An upper bound of taking the whole hierarchy out of service: every resource's remove timeout. */
    public Duration removeBound() {
        return resources.stream().map(r -> r.policy().timeouts().remove()).reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * An upper bound of one operation on the hierarchy, from its resources' timeouts: every
     * restore, every remove twice (a restart removes everything first; a failed restore removes
     * what it had started) and every local recovery attempt.
     */
    public Duration operationBound() {
        Duration d = removeBound().multipliedBy(2);
        for (ResourceConfig r : resources) {
            ActionTimeouts t = r.policy().timeouts();
            d = d.plus(t.restore()).plus(t.recover().multipliedBy(r.policy().localRecoveryAttempts()));
        }
        return d;
    }

    /**
     * How long an operator's action on the hierarchy (restore, remove, restart) may take until it
     * is answered: twice {@link #operationBound()}, as it may wait behind one operation already
     * running, plus 10 s.
     */
    public Duration actionTimeout() {
        return operationBound().multipliedBy(2).plusSeconds(10);
    }
}
