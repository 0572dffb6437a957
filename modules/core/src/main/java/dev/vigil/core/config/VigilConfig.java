package dev.vigil.core.config;

import dev.vigil.core.ShutdownStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The whole validated configuration of one server, parsed once at start-up. Immutable; nothing
 * below the loader ever sees a raw {@code Config}.
 *
 * @param serverName       this server's name (one of {@code cluster.servers})
 * @param stateDir         where the daemon keeps its pid file, token and persisted state
 * @param shutdownStrategy what an orderly stop does with hierarchies in service here
 * @param sources          the files the configuration was read from, main file first
 * @param kits             settings shared by every recovery kit
 * @param gui              the web GUI server ({@code lkGUIserver}): where it listens, its users file
 * @param snmp             where SNMP traps go (none by default)
 * @param jmx              remote JMX access (off by default)
 */
public record VigilConfig(String serverName, Path stateDir, ClusterSettings cluster, AdminSettings admin,
                          LogSettings logs, ShutdownStrategy shutdownStrategy, List<HierarchyConfig> hierarchies,
                          List<Path> sources, KitSettings kits, GuiSettings gui, SnmpSettings snmp,
                          JmxSettings jmx) {

    public ServerConfig localServer() {
        return cluster.server(serverName).orElseThrow();
    }

    public Optional<HierarchyConfig> hierarchy(String rootTag) {
        return hierarchies.stream().filter(h -> h.tag().equals(rootTag)).findFirst();
    }

    /** The hierarchies this server may run: those with a priority for it. */
    public List<HierarchyConfig> localHierarchies() {
        return hierarchies.stream().filter(h -> h.priorities().containsKey(serverName)).toList();
    }

    /**
     * An upper bound of taking this server's hierarchies out of service when the daemon stops
     * (they are stopped in parallel): for the slowest, an operation already running and then the
     * removal of every resource, plus 10 s; 10 s without hierarchies.
     */
    public Duration hierarchiesStopBound() {
        return localHierarchies().stream().map(h -> h.operationBound().plus(h.removeBound()))
                .max(Duration::compareTo).orElse(Duration.ZERO).plusSeconds(10);
    }

    /** The hierarchy containing the resource tagged {@code resourceTag}, if any. */
    public Optional<HierarchyConfig> hierarchyOf(String resourceTag) {
        return hierarchies.stream().filter(h -> h.resource(resourceTag).isPresent()).findFirst();
    }
}
