package dev.vigil.core.config;

import com.typesafe.config.ConfigObject;
import dev.vigil.core.ResourceType;
import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.Switchback;
import dev.vigil.core.config.spec.Addresses;
import dev.vigil.core.config.spec.ResourceSpec;
import dev.vigil.core.config.spec.ResourceSpecReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the merged {@code vigil { ... }} object into a {@link VigilConfig}, checking every key
 * and every cross-reference (servers, tags, dependencies, priorities) and recording each
 * problem with its file and line.
 */
final class ConfigValidator {
    private final Problems problems;
    private final ConfigObject referenceVigil;

    ConfigValidator(Problems problems, ConfigObject referenceVigil) {
        this.problems = problems;
        this.referenceVigil = referenceVigil;
    }

    VigilConfig read(ConfigObject vigil, List<Path> sources) {
        ConfigReader root = new ConfigReader(vigil, "vigil", problems);
        String serverName = root.string("server");
        Path stateDir = absolutePath(root, "state-dir");
        ShutdownStrategy strategy = root.enumValue("shutdown-strategy", ShutdownStrategy.class);
        ClusterSettings cluster = cluster(root.object("cluster"));
        AdminSettings admin = admin(root.object("admin"));
        LogSettings logs = logs(root.object("logs"));

        ConfigReader hierarchyDefaults = root.object("hierarchy-defaults");
        if (hierarchyDefaults != null) {
            hierarchyDefaults.enumValue("switchback", Switchback.class);
        }
        ConfigReader resourceDefaults = root.object("resource-defaults");
        Map<ResourceType, ConfigObject> typeDefaults = resourceDefaults(resourceDefaults);

        List<HierarchyConfig> hierarchies = new ArrayList<>();
        Map<String, String> tagOwners = new HashMap<>();
        for (ConfigReader h : root.objectList("hierarchies")) {
            HierarchyConfig hc = hierarchy(h, hierarchyDefaults, typeDefaults, cluster, tagOwners);
            if (hc != null) {
                hierarchies.add(hc);
            }
        }
        root.finish();

        if (serverName != null && cluster != null && cluster.server(serverName).isEmpty()) {
            root.problem("server", "'" + serverName + "' is not one of cluster.servers (known: "
                    + String.join(", ", cluster.servers().stream().map(ServerConfig::name).toList()) + ")");
        }
        if (cluster != null && serverName != null && admin != null) {
            cluster.server(serverName).filter(s -> s.port() == admin.port()).ifPresent(s ->
                    root.problem("admin", "admin.port " + admin.port()
                            + " is the cluster port of this server; choose another"));
        }
        return new VigilConfig(serverName, stateDir, cluster, admin, logs, strategy, List.copyOf(hierarchies), sources);
    }

    private Path absolutePath(ConfigReader r, String key) {
        String s = r.string(key);
        if (s == null) {
            return null;
        }
        if (!s.startsWith("/")) {
            r.problem(key, "must be an absolute path, not '" + s + "'");
            return null;
        }
        return Path.of(s);
    }

    private ClusterSettings cluster(ConfigReader c) {
        if (c == null) {
            return null;
        }
        String name = c.string("name");
        if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
            c.problem("name", "'" + name + "' may contain only letters, digits, '-' and '_'");
        }
        List<ServerConfig> servers = new ArrayList<>();
        boolean allValid = true;
        Set<String> names = new HashSet<>();
        Map<String, String> addresses = new HashMap<>();
        List<ConfigReader> entries = c.objectList("servers");
        if (c.has("servers") && entries.isEmpty()) {
            c.problem("servers", "at least one server is required");
        }
        for (ConfigReader s : entries) {
            String serverName = s.string("name");
            String host = s.string("host");
            Integer port = s.has("port") ? s.integer("port", 1, 65535) : Integer.valueOf(ServerConfig.DEFAULT_PORT);
            if (serverName != null && !serverName.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                s.problem("name", "'" + serverName + "' may contain only letters, digits, '.', '-' and '_'");
                serverName = null;
            }
            if (serverName != null && !names.add(serverName)) {
                s.problem("name", "duplicate server name '" + serverName + "'");
            }
            if (host != null && !Addresses.isHost(host)) {
                s.problem("host", "'" + host + "' is not an IPv4 address or host name");
                host = null;
            }
            if (host != null && port != null) {
                String address = host + ":" + port;
                String other = addresses.putIfAbsent(address, serverName);
                if (other != null) {
                    s.problem("port", "address " + address + " is already used by server '" + other + "'");
                }
            }
            if (serverName != null && host != null && port != null) {
                servers.add(new ServerConfig(serverName, host, port));
            } else {
                allValid = false;
            }
        }
        FailureDetectorSettings fd = null;
        ConfigReader f = c.object("failure-detector");
        if (f != null) {
            Duration interval = f.duration("heartbeat-interval", Duration.ofMillis(10), Duration.ofSeconds(60));
            Duration pause = f.duration("acceptable-heartbeat-pause", Duration.ofMillis(10), Duration.ofMinutes(10));
            Double threshold = f.number("threshold", 1.0, 100.0);
            if (interval != null && pause != null && pause.compareTo(interval) <= 0) {
                f.problem("acceptable-heartbeat-pause", "must be longer than heartbeat-interval ("
                        + interval.toMillis() + "ms)");
            } else if (interval != null && pause != null && threshold != null) {
                fd = new FailureDetectorSettings(interval, pause, threshold);
            }
        }
        Duration downAfter = c.duration("down-after", Duration.ofMillis(100), Duration.ofMinutes(10));
        if (name == null || fd == null || downAfter == null || !allValid || servers.isEmpty()) {
            return null;
        }
        return new ClusterSettings(name, List.copyOf(servers), fd, downAfter);
    }

    private AdminSettings admin(ConfigReader a) {
        if (a == null) {
            return null;
        }
        Integer port = a.integer("port", 1, 65535);
        Path token = absolutePath(a, "token-file");
        return port == null || token == null ? null : new AdminSettings(port, token);
    }

    private LogSettings logs(ConfigReader l) {
        if (l == null) {
            return null;
        }
        Path dir = absolutePath(l, "dir");
        Long size = l.bytes("max-file-size", 4096, 1L << 40);
        Integer files = l.integer("max-files", 1, 100);
        return dir == null || size == null || files == null ? null : new LogSettings(dir, size, files);
    }

    private Map<ResourceType, ConfigObject> resourceDefaults(ConfigReader defaults) {
        Map<ResourceType, ConfigObject> out = new HashMap<>();
        if (defaults == null) {
            return out;
        }
        ConfigObject reference = (ConfigObject) referenceVigil.get("resource-defaults");
        for (ResourceType type : ResourceType.values()) {
            ConfigReader d = defaults.object(type.configName());
            if (d == null) {
                continue;
            }
            // Operators may override the defaults that exist; any other key is a typo, left
            // unread so that finish() reports it.
            ConfigObject known = (ConfigObject) reference.get(type.configName());
            for (String key : d.keys()) {
                if (known.containsKey(key)) {
                    d.has(key);
                }
            }
            out.put(type, d.object());
        }
        return out;
    }

    private HierarchyConfig hierarchy(ConfigReader h, ConfigReader hierarchyDefaults,
                                      Map<ResourceType, ConfigObject> typeDefaults, ClusterSettings cluster,
                                      Map<String, String> tagOwners) {
        String tag = tag(h, "tag");
        boolean prioritiesWritten = h.keys().contains("priorities");
        Map<String, Integer> priorities = h.intMap("priorities", 1, 999);
        if (prioritiesWritten && priorities.isEmpty()) {
            h.problem("priorities", "needs at least one server with its priority, e.g. { n1 = 1, n2 = 10 }");
        }
        Map<Integer, String> byPriority = new HashMap<>();
        priorities.forEach((server, prio) -> {
            String other = byPriority.putIfAbsent(prio, server);
            if (other != null) {
                h.problem("priorities", "servers '" + other + "' and '" + server + "' share priority " + prio
                        + "; each server needs its own");
            }
        });
        if (cluster != null) {
            List<String> known = cluster.servers().stream().map(ServerConfig::name).toList();
            for (String server : priorities.keySet()) {
                if (cluster.server(server).isEmpty()) {
                    String hint = ConfigReader.closest(server, known).map(n -> "did you mean '" + n + "'? ").orElse("");
                    h.problem("priorities", "unknown server '" + server + "' (" + hint + "known: "
                            + String.join(", ", known) + ")");
                }
            }
        }
        Switchback switchback = h.has("switchback") ? h.enumValue("switchback", Switchback.class)
                : hierarchyDefaults == null ? Switchback.INTELLIGENT
                : hierarchyDefaults.enumValue("switchback", Switchback.class);

        List<ResourceConfig> resources = new ArrayList<>();
        Map<String, ConfigReader> readers = new LinkedHashMap<>();
        boolean resourcesWritten = h.keys().contains("resources");
        List<ConfigReader> entries = h.objectList("resources");
        if (resourcesWritten && entries.isEmpty()) {
            h.problem("resources", "a hierarchy needs at least one resource");
        }
        for (ConfigReader r : entries) {
            ResourceConfig rc = resource(r, typeDefaults);
            if (rc != null) {
                if (readers.containsKey(rc.tag())) {
                    r.problem("tag", "duplicate tag '" + rc.tag() + "' (also at line "
                            + readers.get(rc.tag()).origin().lineNumber() + ")");
                    continue;
                }
                String otherHierarchy = tagOwners.putIfAbsent(rc.tag(), tag == null ? "?" : tag);
                if (otherHierarchy != null) {
                    r.problem("tag", "duplicate tag '" + rc.tag() + "': already used in hierarchy '" + otherHierarchy
                            + "'; a tag names one resource of the cluster");
                    continue;
                }
                readers.put(rc.tag(), r);
                resources.add(rc);
            }
        }
        if (tag == null) {
            return null;
        }
        boolean graphOk = checkGraph(h, tag, resources, readers);
        boolean specsOk = resources.stream().allMatch(r -> r.spec() != null);
        if (!graphOk || !specsOk || switchback == null || priorities.isEmpty()) {
            return null;
        }
        return new HierarchyConfig(tag, priorities, switchback, List.copyOf(resources));
    }

    private ResourceConfig resource(ConfigReader r, Map<ResourceType, ConfigObject> typeDefaults) {
        String tag = tag(r, "tag");
        String typeName = r.string("type");
        List<String> dependsOn = r.has("depends-on") ? r.stringList("depends-on") : List.of();
        if (new HashSet<>(dependsOn).size() != dependsOn.size()) {
            r.problem("depends-on", "lists the same tag twice");
        }
        if (typeName == null) {
            return null;
        }
        Optional<ResourceType> type = ResourceType.fromConfigName(typeName);
        if (type.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (ResourceType t : ResourceType.values()) {
                names.add(t.configName());
            }
            String hint = ConfigReader.closest(typeName, names).map(n -> " (did you mean '" + n + "'?)").orElse("");
            r.problem("type", "unknown resource type '" + typeName + "'" + hint + "; known types: "
                    + String.join(", ", names));
            return null;
        }
        ConfigReader withDefaults = r.withFallback(typeDefaults.get(type.get()));
        ResourceSpec spec = ResourceSpecReader.read(type.get(), withDefaults);
        if (tag == null) {
            return null;
        }
        // Kept even when the type-specific keys are wrong (spec == null), so that the
        // dependency checks still run and report in the same pass.
        return new ResourceConfig(tag, type.get(), List.copyOf(dependsOn), spec);
    }

    private static String tag(ConfigReader r, String key) {
        String tag = r.string(key);
        if (tag != null && !tag.matches("\\S{1,256}")) {
            r.problem(key, "'" + tag + "' must be 1 to 256 characters without spaces");
            return null;
        }
        return tag;
    }

    /** Dependencies known and within the hierarchy, no cycle, the root exists and reaches everything. */
    private boolean checkGraph(ConfigReader h, String rootTag, List<ResourceConfig> resources,
                               Map<String, ConfigReader> readers) {
        boolean ok = true;
        Set<String> tags = readers.keySet();
        for (ResourceConfig r : resources) {
            for (String dep : r.dependsOn()) {
                if (dep.equals(r.tag())) {
                    readers.get(r.tag()).problem("depends-on", "'" + r.tag() + "' depends on itself");
                    ok = false;
                } else if (!tags.contains(dep)) {
                    String hint = ConfigReader.closest(dep, tags).map(t -> "did you mean '" + t + "'? ").orElse("");
                    readers.get(r.tag()).problem("depends-on", "unknown tag '" + dep + "' (" + hint + "known in this hierarchy: "
                            + String.join(", ", new TreeSet<>(tags)) + ")");
                    ok = false;
                }
            }
        }
        if (!ok) {
            return false;
        }
        List<String> cycle = findCycle(resources);
        if (!cycle.isEmpty()) {
            String first = cycle.get(0);
            readers.get(first).problem("depends-on", "dependency cycle: " + String.join(" -> ", cycle));
            return false;
        }
        if (!tags.contains(rootTag)) {
            h.problem("tag", "'" + rootTag + "' must be the tag of one of the hierarchy's resources (its root); found: "
                    + String.join(", ", new TreeSet<>(tags)));
            return false;
        }
        for (ResourceConfig r : resources) {
            if (r.dependsOn().contains(rootTag)) {
                readers.get(r.tag()).problem("depends-on", "depends on the hierarchy's root '" + rootTag
                        + "'; the root must be the top of the hierarchy");
                return false;
            }
        }
        Set<String> reached = new HashSet<>();
        reach(rootTag, resources, reached);
        for (ResourceConfig r : resources) {
            if (!reached.contains(r.tag())) {
                readers.get(r.tag()).problem("tag", "'" + r.tag() + "' is not reached from the hierarchy's root '"
                        + rootTag + "'; add it to a depends-on list or move it to a hierarchy of its own");
                ok = false;
            }
        }
        return ok;
    }

    private static void reach(String tag, List<ResourceConfig> resources, Set<String> reached) {
        if (!reached.add(tag)) {
            return;
        }
        resources.stream().filter(r -> r.tag().equals(tag)).findFirst()
                .ifPresent(r -> r.dependsOn().forEach(d -> reach(d, resources, reached)));
    }

    /** A cycle as a list of tags ending where it began, or an empty list. */
    static List<String> findCycle(List<ResourceConfig> resources) {
        Map<String, List<String>> edges = new LinkedHashMap<>();
        resources.forEach(r -> edges.put(r.tag(), r.dependsOn()));
        Set<String> done = new HashSet<>();
        for (String start : edges.keySet()) {
            List<String> stack = new ArrayList<>();
            List<String> found = dfs(start, edges, done, stack, new LinkedHashSet<>());
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<String> dfs(String node, Map<String, List<String>> edges, Set<String> done,
                                    List<String> stack, Set<String> onStack) {
        if (onStack.contains(node)) {
            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(node), stack.size()));
            cycle.add(node);
            return cycle;
        }
        if (done.contains(node)) {
            return List.of();
        }
        stack.add(node);
        onStack.add(node);
        for (String next : edges.getOrDefault(node, List.of())) {
            List<String> c = dfs(next, edges, done, stack, onStack);
            if (!c.isEmpty()) {
                return c;
            }
        }
        stack.remove(stack.size() - 1);
        onStack.remove(node);
        done.add(node);
        return List.of();
    }
}
