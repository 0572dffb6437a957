package dev.vigil.core.config;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import dev.vigil.core.ResourceType;
import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.Switchback;
import dev.vigil.core.config.spec.Addresses;
import dev.vigil.core.config.spec.FilesystemSpec;
import dev.vigil.core.config.spec.IpSpec;
import dev.vigil.core.config.spec.PostgresqlSpec;
import dev.vigil.core.config.spec.ResourceSpec;
import dev.vigil.core.config.spec.ResourceSpecReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the merged {@code vigil { ... }} object into a {@link VigilConfig}, checking every key
 * and every cross-reference (servers, tags, dependencies, priorities) and recording each
 * problem with its file and line. Cross-checks use whatever parts are valid, so one wrong
 * entry does not hide the problems of the others.
 */
final class ConfigValidator {
    /** Servers one lease device serves: the slots per lease the daemon formats it with. */
    static final int DISK_LEASE_MAX_SERVERS = 8;

    private final Problems problems;
    private final ConfigObject referenceVigil;
    /** Every server name written in cluster.servers (even in an entry with other problems). */
    private final Set<String> serverNames = new LinkedHashSet<>();
    /** The valid server entries by name, with the reader of each (to place problems on them). */
    private final Map<String, ServerConfig> servers = new LinkedHashMap<>();
    private final Map<String, ConfigReader> serverReaders = new HashMap<>();
    /** Tag of every resource read so far → where it was written, to find duplicates across hierarchies. */
    private final Map<String, String> tagOwners = new HashMap<>();
    /** Resource entries refused as a second use of a tag: their other checks would only echo that. */
    private final Set<ConfigReader> tagCopies = new HashSet<>();
    private final CommPathReader commPaths = new CommPathReader(serverNames, servers, serverReaders);

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
        ConfigReader adminReader = root.object("admin");
        AdminSettings admin = admin(adminReader);
        LogSettings logs = logs(root.object("logs"));
        ConfigReader kitsReader = root.object("kits");
        KitSettings kits = kitsReader == null ? null : new KitSettings(kitsReader.stringList("command-prefix"));
        GuiSettings gui = gui(root.object("gui"));
        SnmpSettings snmp = snmp(root.object("snmp"));
        ConfigReader jmxReader = root.object("jmx");
        JmxSettings jmx = jmx(jmxReader);

        ConfigReader hierarchyDefaults = root.object("hierarchy-defaults");
        Switchback defaultSwitchback = hierarchyDefaults == null ? null
                : hierarchyDefaults.enumValue("switchback", Switchback.class);
        Map<ResourceType, ConfigObject> typeDefaults = resourceDefaults(root.object("resource-defaults"));

        // Every tag first, then the graphs: a dependency on a tag of another hierarchy is named as such.
        List<Entry> entries = new ArrayList<>();
        for (ConfigReader h : root.objectList("hierarchies")) {
            entries.add(hierarchy(h, defaultSwitchback, typeDefaults));
        }
        checkSharedTargets(entries);
        List<HierarchyConfig> hierarchies = new ArrayList<>();
        for (Entry e : entries) {
            HierarchyConfig hc = e.build(DependencyGraph.check(e.reader(), e.tag(), e.resources(), e.readers(),
                    tagOwners, e.dependenciesRead()));
            if (hc != null) {
                hierarchies.add(hc);
            }
        }
        root.finish();
        checkLocalServer(root, serverName, adminReader, admin);
        if (serverName != null && servers.containsKey(serverName)) {
            commPaths.checkAdminPort(serverName, admin);
        }
        checkJmxPort(serverName, jmxReader, jmx, admin);
        return new VigilConfig(serverName, stateDir, cluster, admin, logs, strategy, List.copyOf(hierarchies), sources,
                kits, gui, snmp, jmx);
    }

    /** This server is one of the servers, and its admin port differs from its cluster port. */
    private void checkLocalServer(ConfigReader root, String serverName, ConfigReader adminReader, AdminSettings admin) {
        if (serverName == null || serverNames.isEmpty()) {
            return;
        }
        if (!serverNames.contains(serverName)) {
            root.problem("server", "'" + serverName + "' is not among cluster.servers "
                    + ConfigReader.hint(serverName, "known", serverNames));
            return;
        }
        ServerConfig local = servers.get(serverName);
        if (local == null || admin == null || local.port() != admin.port()) {
            return;
        }
        ConfigReader entry = serverReaders.get(serverName);
        if (adminReader.written("port") || !entry.written("port")) {
            adminReader.problem("port", admin.port() + " is also the cluster port of this server '" + serverName
                    + "' (" + entry.path("port") + "); choose another port");
        } else {
            entry.problem("port", local.port() + " is also the admin port of this server (admin.port, the default);"
                    + " choose another port or set admin.port");
        }
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
            name = null;
        }
        boolean allValid = true;
        Map<String, String> addresses = new HashMap<>();
        List<ConfigReader> entries = c.objectList("servers",
                "at least one server is required, e.g. [ { name = n1, host = \"10.200.0.1\" } ]");
        for (ConfigReader s : entries) {
            String serverName = s.string("name");
            String host = s.string("host");
            Integer port = s.has("port") ? s.integer("port", 1, 65535) : Integer.valueOf(ServerConfig.DEFAULT_PORT);
            if (serverName != null && !serverName.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                s.problem("name", "'" + serverName + "' may contain only letters, digits, '.', '-' and '_'");
                serverName = null;
            }
            if (serverName != null && !serverNames.add(serverName)) {
                s.problem("name", "duplicate server name '" + serverName + "'");
                serverName = null;
            }
            if (host != null && !Addresses.isHost(host)) {
                s.problem("host", "'" + host + "' is not an IPv4 address or host name");
                host = null;
            }
            if (host != null && port != null) {
                String address = host + ":" + port;
                String other = addresses.putIfAbsent(address, serverName == null ? "?" : serverName);
                if (other != null) {
                    s.problem("port", "address " + address + " is already used by server '" + other + "'");
                    port = null;
                }
            }
            if (serverName != null && host != null && port != null) {
                servers.put(serverName, new ServerConfig(serverName, host, port));
                serverReaders.put(serverName, s);
            } else {
                allValid = false;
            }
        }
        List<CommPathNetwork> networks = commPaths.read(c);
        FencingSettings fencing = fencing(c.object("fencing"), servers.size());
        FailureDetectorSettings fd = failureDetector(c.object("failure-detector"),
                fencing != null && fencing.leaseDevice().isPresent());
        Duration downAfter = c.duration("down-after", Duration.ofMillis(100), Duration.ofMinutes(10));
        Duration rejoinWait = c.duration("rejoin-wait", Duration.ofSeconds(1), Duration.ofMinutes(10));
        if (name == null || fd == null || downAfter == null || rejoinWait == null || !allValid || servers.isEmpty()
                || networks == null || fencing == null) {
            return null;
        }
        return new ClusterSettings(name, List.copyOf(servers.values()), fd, downAfter, networks, fencing, rejoinWait);
    }

    /** cluster.fencing: the lease device (optional), the guard switch and the clocks, checked as one set. */
    private FencingSettings fencing(ConfigReader f, int servers) {
        if (f == null) {
            return null;
        }
        String device = f.text("lease-device");
        device = device == null ? null : device.trim();
        Optional<Path> leaseDevice = Optional.empty();
        if (device != null && !device.isEmpty()) {
            if (!device.startsWith("/")) {
                f.problem("lease-device", "must be an absolute path of a block device, not '" + device + "'");
                device = null;
            } else if (servers > DISK_LEASE_MAX_SERVERS) {
                f.problem("lease-device", "the disk lease has slots for " + DISK_LEASE_MAX_SERVERS
                        + " servers; this cluster has " + servers);
                device = null;
            } else {
                leaseDevice = Optional.of(Path.of(device));
            }
        }
        Boolean guard = f.bool("guard");
        Duration max = Duration.ofMinutes(1);
        Duration renewInterval = f.duration("renew-interval", Duration.ofMillis(10), max);
        Duration ioTimeout = f.duration("io-timeout", Duration.ofMillis(10), max);
        Duration renewTimeout = f.duration("renew-timeout", Duration.ofMillis(10), max);
        Duration guardTimeout = f.duration("guard-timeout", Duration.ofMillis(10), max);
        Duration fenceTimeout = f.duration("fence-timeout", Duration.ofMillis(10), max);
        Duration margin = f.duration("safety-margin", Duration.ofMillis(10), max);
        Duration leaseTimeout = f.duration("lease-timeout", Duration.ofMillis(10), max);
        if (device == null || guard == null || renewInterval == null || ioTimeout == null || renewTimeout == null
                || guardTimeout == null || fenceTimeout == null || margin == null || leaseTimeout == null) {
            return null;
        }
        List<String> unsafe = LeaseTimings.problems(renewInterval, ioTimeout, renewTimeout, guardTimeout, fenceTimeout,
                margin, leaseTimeout);
        if (!unsafe.isEmpty()) {
            unsafe.forEach(p -> f.problem(timingKey(f, p), p));
            return null;
        }
        return new FencingSettings(leaseDevice, guard, new LeaseTimings(renewInterval, ioTimeout, renewTimeout,
                guardTimeout, fenceTimeout, margin, leaseTimeout));
    }

    /** The key an unsafe-timings message is reported at: the first one it names that the operator wrote. */
    private static String timingKey(ConfigReader f, String problem) {
        for (String key : List.of("renew-interval", "io-timeout", "renew-timeout", "guard-timeout", "fence-timeout",
                "safety-margin", "lease-timeout")) {
            if (problem.startsWith(key) && f.written(key)) {
                return key;
            }
        }
        for (String key : List.of("renew-interval", "io-timeout", "renew-timeout", "guard-timeout", "fence-timeout",
                "safety-margin", "lease-timeout")) {
            if (problem.contains(key) && f.written(key)) {
                return key;
            }
        }
        return "lease-timeout";
    }

    /**
     * cluster.failure-detector. With a disk lease, the keys the operator did not write default to
     * {@link FailureDetectorSettings#WITH_LEASE} instead of reference.conf's: the lease, not the
     * heartbeats, tells the other server that a holder is gone (docs/configuration.md).
     */
    private static FailureDetectorSettings failureDetector(ConfigReader f, boolean lease) {
        if (f == null) {
            return null;
        }
        Duration interval = f.duration("heartbeat-interval", Duration.ofMillis(10), Duration.ofSeconds(60));
        Duration pause = f.duration("acceptable-heartbeat-pause", Duration.ofMillis(10), Duration.ofMinutes(10));
        if (lease && interval != null && !f.written("heartbeat-interval")) {
            interval = FailureDetectorSettings.WITH_LEASE.heartbeatInterval();
        }
        if (lease && pause != null && !f.written("acceptable-heartbeat-pause")) {
            pause = FailureDetectorSettings.WITH_LEASE.acceptableHeartbeatPause();
        }
        Double threshold = f.number("threshold", 1.0, 100.0);
        if (interval == null || pause == null || threshold == null) {
            return null;
        }
        if (pause.compareTo(interval) > 0) {
            return new FailureDetectorSettings(interval, pause, threshold);
        }
        // Name the key the operator wrote: a lowered pause, or a raised interval over the default pause.
        if (f.written("acceptable-heartbeat-pause") || !f.written("heartbeat-interval")) {
            f.problem("acceptable-heartbeat-pause", ConfigReader.human(pause)
                    + " must be longer than heartbeat-interval (" + ConfigReader.human(interval) + ")");
        } else {
            f.problem("heartbeat-interval", ConfigReader.human(interval)
                    + " must be shorter than acceptable-heartbeat-pause (" + ConfigReader.human(pause)
                    + ", the default); lower it or raise acceptable-heartbeat-pause");
        }
        return null;
    }

    private AdminSettings admin(ConfigReader a) {
        if (a == null) {
            return null;
        }
        Integer port = a.integer("port", 1, 65535);
        Path token = absolutePath(a, "token-file");
        return port == null || token == null ? null : new AdminSettings(port, token);
    }

    private GuiSettings gui(ConfigReader g) {
        if (g == null) {
            return null;
        }
        Integer port = g.integer("port", 1, 65535);
        String bind = g.string("bind");
        if (bind != null && !Addresses.isIpv4(bind)) {
            g.problem("bind", "'" + bind + "' is not an IPv4 address (0.0.0.0 = every address of this server)");
            bind = null;
        }
        Path users = absolutePath(g, "users-file");
        Duration session = g.duration("session-timeout", Duration.ofMinutes(1), Duration.ofDays(7));
        return port == null || bind == null || users == null || session == null ? null
                : new GuiSettings(port, bind, users, session);
    }

    private SnmpSettings snmp(ConfigReader s) {
        if (s == null) {
            return null;
        }
        List<SnmpSettings.Destination> destinations = new ArrayList<>();
        boolean valid = true;
        for (String d : s.stringList("destinations")) {
            try {
                destinations.add(SnmpSettings.Destination.parse(d));
            } catch (IllegalArgumentException e) {
                s.problem("destinations", e.getMessage());
                valid = false;
            }
        }
        String community = s.string("community");
        if (community != null && (community.isEmpty() || !community.matches("[\\x21-\\x7e]+"))) {
            s.problem("community", "must be printable ASCII without spaces, not '" + community + "'");
            community = null;
        }
        SnmpSettings.Version version = s.enumValue("version", SnmpSettings.Version.class);
        return !valid || community == null || version == null ? null
                : new SnmpSettings(destinations, community, version);
    }

    private JmxSettings jmx(ConfigReader j) {
        if (j == null) {
            return null;
        }
        Boolean enabled = j.bool("enabled");
        Integer port = j.integer("port", 1, 65535);
        return enabled == null || port == null ? null : new JmxSettings(enabled, port);
    }

    /** An enabled JMX connector must not take this server's admin or cluster port. */
    private void checkJmxPort(String serverName, ConfigReader jmxReader, JmxSettings jmx, AdminSettings admin) {
        if (jmx == null || !jmx.enabled()) {
            return;
        }
        if (admin != null && admin.port() == jmx.port()) {
            jmxReader.problem("port", jmx.port() + " is also the admin port (admin.port); choose another port");
        }
        ServerConfig local = serverName == null ? null : servers.get(serverName);
        if (local != null && local.port() == jmx.port()) {
            jmxReader.problem("port", jmx.port() + " is also the cluster port of this server '" + serverName
                    + "'; choose another port");
        }
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

    /**
     * The defaults of each resource type: reference.conf's, overridden by the operator's. An
     * operator may give a default for any key the type reads; any other key is a typo, left
     * unread so that finish() reports it.
     */
    private Map<ResourceType, ConfigObject> resourceDefaults(ConfigReader defaults) {
        ConfigObject reference = (ConfigObject) referenceVigil.get("resource-defaults");
        Map<ResourceType, ConfigObject> out = new EnumMap<>(ResourceType.class);
        for (ResourceType type : ResourceType.values()) {
            ConfigReader d = defaults == null ? null : defaults.object(type.configName());
            if (d == null) {
                out.put(type, (ConfigObject) reference.get(type.configName()));
                continue;
            }
            specKeys(type).forEach(d::has);
            if (d.has("timeouts")) {
                ConfigReader timeouts = d.object("timeouts");
                if (timeouts != null) {
                    ResourcePolicyReader.TIMEOUT_KEYS.forEach(timeouts::has);
                }
            }
            out.put(type, d.object());
        }
        return out;
    }

    /** The keys the readers of {@code type} ask for: read once from an empty entry. */
    private static Set<String> specKeys(ResourceType type) {
        ConfigReader probe = new ConfigReader(ConfigFactory.empty().root(), "", new Problems());
        ResourceSpecReader.read(type, probe);
        ResourcePolicyReader.read(probe);
        return probe.readKeys();
    }

    /** A hierarchy entry read but not yet checked as a graph. */
    private record Entry(ConfigReader reader, String tag, Map<String, Integer> priorities, Switchback switchback,
                         List<ResourceConfig> resources, Map<String, ConfigReader> readers, boolean tagsOk,
                         boolean dependenciesRead) {

        /** The hierarchy, or {@code null} when anything about it is wrong (the problem is recorded). */
        HierarchyConfig build(boolean graphOk) {
            boolean specsOk = resources.stream().allMatch(r -> r.spec() != null && r.policy() != null);
            if (tag == null || !tagsOk || !graphOk || !specsOk || switchback == null || priorities.isEmpty()) {
                return null;
            }
            return new HierarchyConfig(tag, priorities, switchback, List.copyOf(resources));
        }
    }

    private Entry hierarchy(ConfigReader h, Switchback defaultSwitchback,
                            Map<ResourceType, ConfigObject> typeDefaults) {
        String tag = tag(h, "tag");
        Map<String, Integer> priorities = priorities(h);
        Switchback switchback = h.has("switchback") ? h.enumValue("switchback", Switchback.class) : defaultSwitchback;

        List<ResourceConfig> resources = new ArrayList<>();
        Map<String, ConfigReader> readers = new LinkedHashMap<>();
        boolean tagsOk = true;
        boolean dependenciesRead = true;
        for (ConfigReader r : h.objectList("resources", "a hierarchy needs at least one resource")) {
            Resource read = resource(r, typeDefaults);
            dependenciesRead &= read.dependenciesRead();
            ResourceConfig rc = read.config();
            if (rc == null) {
                continue;
            }
            if (readers.containsKey(rc.tag())) {
                r.problem("tag", "duplicate tag '" + rc.tag() + "' (also at line "
                        + readers.get(rc.tag()).origin("tag").lineNumber() + ")");
                tagsOk = false;
                continue;
            }
            String owner = tagOwners.putIfAbsent(rc.tag(), "hierarchy '" + (tag == null ? "?" : tag) + "' ("
                    + problems.place(r.origin("tag")) + ")");
            if (owner != null) {
                r.problem("tag", "duplicate tag '" + rc.tag() + "': already used in " + owner
                        + "; a tag names one resource of the cluster");
                tagCopies.add(r);
                tagsOk = false;
            }
            readers.put(rc.tag(), r);
            resources.add(rc);
        }
        return new Entry(h, tag, priorities, switchback, resources, readers, tagsOk, dependenciesRead);
    }

    /**
     * Two resources of the cluster protecting the same thing (a virtual address, a device, a
     * mount point, a data directory) would fight over it: each one is refused after the first.
     */
    private void checkSharedTargets(List<Entry> entries) {
        Map<String, String> owners = new HashMap<>();
        for (Entry e : entries) {
            for (ResourceConfig r : e.resources()) {
                ConfigReader reader = e.readers().get(r.tag());
                if (tagCopies.contains(reader)) {
                    continue;
                }
                targets(r.spec()).forEach((key, value) -> {
                    String owner = owners.putIfAbsent(key + " " + value, "resource '" + r.tag() + "' ("
                            + problems.place(reader.origin(key)) + ")");
                    if (owner != null) {
                        reader.problem(key, "'" + value + "' is also the " + key + " of " + owner
                                + "; two resources cannot protect the same one");
                    }
                });
            }
        }
    }

    /** What a resource takes exclusively, by the key that names it. */
    private static Map<String, String> targets(ResourceSpec spec) {
        Map<String, String> out = new LinkedHashMap<>();
        if (spec instanceof IpSpec ip) {
            out.put("address", ip.address());
        } else if (spec instanceof FilesystemSpec fs) {
            out.put("device", fs.device());
            out.put("mount-point", fs.mountPoint());
        } else if (spec instanceof PostgresqlSpec pg) {
            out.put("data-dir", pg.dataDir());
        }
        return out;
    }

    /** {@code priorities { n1 = 1, n2 = 10 }} in ascending order of priority; empty after a problem. */
    private Map<String, Integer> priorities(ConfigReader h) {
        ConfigReader p = h.object("priorities");
        if (p == null) {
            return Map.of();
        }
        if (p.keys().isEmpty()) {
            h.problem("priorities", "needs at least one server with its priority, e.g. { n1 = 1, n2 = 10 }");
            return Map.of();
        }
        boolean ok = true;
        Map<Integer, String> byPriority = new HashMap<>();
        List<Map.Entry<String, Integer>> entries = new ArrayList<>();
        for (String server : p.keys()) {
            Integer prio = p.integer(server, 1, 999);
            if (!serverNames.isEmpty() && !serverNames.contains(server)) {
                p.problem(server, "unknown server '" + server + "' " + ConfigReader.hint(server, "known", serverNames));
                ok = false;
            }
            if (prio == null) {
                ok = false;
                continue;
            }
            String other = byPriority.putIfAbsent(prio, server);
            if (other != null) {
                p.problem(server, "priority " + prio + " is also the priority of '" + other
                        + "'; each server needs its own");
                ok = false;
            }
            entries.add(Map.entry(server, prio));
        }
        if (!ok) {
            return Map.of();
        }
        entries.sort(Map.Entry.comparingByValue());
        Map<String, Integer> out = new LinkedHashMap<>();
        entries.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * One resource entry. Its config lacks type and spec when its type is missing or unknown,
     * and lacks spec when its type-specific keys are wrong, so the dependency checks still run
     * and report in the same pass; it is {@code null} only without a usable tag.
     */
    /** A resource entry as read, and whether its depends-on could be read (else the graph is incomplete). */
    private record Resource(ResourceConfig config, boolean dependenciesRead) {
    }

    private Resource resource(ConfigReader r, Map<ResourceType, ConfigObject> typeDefaults) {
        String tag = tag(r, "tag");
        String typeName = r.string("type");
        int before = problems.count();
        List<String> dependsOn = r.has("depends-on") ? r.stringList("depends-on") : List.of();
        boolean dependenciesRead = problems.count() == before;
        Set<String> seen = new LinkedHashSet<>();
        for (String dep : dependsOn) {
            if (!seen.add(dep)) {
                r.problem("depends-on", "lists '" + dep + "' twice");
            }
        }
        Optional<ResourceType> type = typeName == null ? Optional.empty() : ResourceType.fromConfigName(typeName);
        if (typeName != null && type.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (ResourceType t : ResourceType.values()) {
                names.add(t.configName());
            }
            r.problem("type", "unknown resource type '" + typeName + "' " + ConfigReader.hint(typeName, "known", names));
        }
        ResourceSpec spec = null;
        ResourcePolicy policy = null;
        if (type.isPresent()) {
            String defaultsPath = "vigil.resource-defaults." + type.get().configName();
            ConfigReader withDefaults = r.withFallback(typeDefaults.get(type.get()), defaultsPath);
            spec = ResourceSpecReader.read(type.get(), withDefaults);
            policy = ResourcePolicyReader.read(withDefaults);
        } else {
            r.ignoreUnread();
        }
        return new Resource(tag == null ? null
                : new ResourceConfig(tag, type.orElse(null), List.copyOf(seen), spec, policy), dependenciesRead);
    }

    private static String tag(ConfigReader r, String key) {
        String tag = r.string(key);
        if (tag != null && !tag.matches("\\S{1,256}")) {
            r.problem(key, "'" + tag + "' must be 1 to 256 characters without spaces");
            return null;
        }
        return tag;
    }
}
