package dev.vigil.cli.format;

import dev.vigil.core.ResourceState;
import dev.vigil.core.ServerState;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.HierarchyInfo;
import dev.vigil.core.status.PlacementStatus;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.core.status.ServerStatus;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Each hierarchy across every server that may run it, and the warnings an operator must not
 * miss: a hierarchy in maintenance mode (nothing protects it), in service on no live server (the
 * manual's FAQ, where it sat StandBy/Failed everywhere) or on more than one, and every failed
 * (OSF) resource on a live server with its last error — the reason it is not running. A
 * hierarchy's state on a server is its root's state there; it counts as in service only on a
 * server that is ALIVE now (a dead server's last report may still say ISP).
 */
public final class ClusterSummary {
    private static final String INDENT = "    ";

    private final ZoneId zone;

    public ClusterSummary(ZoneId zone) {
        this.zone = zone;
    }

    /** The "Cluster Status" section of the detailed status, without its title. */
    public List<String> lines(ClusterStatus status, Optional<String> rootTag) {
        List<String> out = new ArrayList<>();
        for (HierarchyInfo h : StatusFacts.hierarchies(status, rootTag)) {
            out.add("Hierarchy " + h.tag() + ":");
            TextTable table = new TextTable(5);
            for (String name : StatusFacts.serversByPriority(h)) {
                Optional<ServerStatus> server = status.server(name);
                ResourceStatus root = server.map(s -> StatusFacts.resourceOn(s, h.tag()))
                        .orElse(new ResourceStatus(ResourceState.ILLSTATE, "server not in the cluster status"));
                String reason = "reason=" + StatusFacts.text(root.reason())
                        + server.flatMap(s -> StatusFacts.deadNote(s, zone)).map(n -> " " + n).orElse("");
                table.add("machine=" + name, "priority=" + StatusFacts.priority(h, name), "state=" + root.state(),
                        "(" + root.state().guiWord() + ")", reason);
            }
            table.lines().forEach(l -> out.add(INDENT + l));
            maintenance(status, h).ifPresent(w -> out.add(INDENT + w));
            warning(status, h).ifPresent(w -> out.add(INDENT + w));
            failures(status, h).forEach(w -> out.add(INDENT + w));
        }
        return out;
    }

    /**
     * Every warning for the selected hierarchies, one line each, then one for each server that is
     * ALIVE only over a further network (its status not current, remote exec to it impossible).
     */
    public List<String> warnings(ClusterStatus status, Optional<String> rootTag) {
        List<String> out = new ArrayList<>();
        for (HierarchyInfo h : StatusFacts.hierarchies(status, rootTag)) {
            maintenance(status, h).ifPresent(out::add);
            warning(status, h).ifPresent(out::add);
            out.addAll(failures(status, h));
        }
        return out;
    }

    /** Each resource of {@code h} that is OSF on a live server, with its reason: what failed, and why. */
    private List<String> failures(ClusterStatus status, HierarchyInfo h) {
        List<String> out = new ArrayList<>();
        for (String name : StatusFacts.serversByPriority(h)) {
            Optional<ServerStatus> server = status.server(name).filter(s -> s.state() == ServerState.ALIVE);
            for (var r : StatusFacts.list(h.resources())) {
                server.map(s -> StatusFacts.resourceOn(s, r.tag())).filter(rs -> rs.state() == ResourceState.OSF)
                        .ifPresent(rs -> out.add("*** WARNING: resource " + r.tag() + " is OSF on " + name + ": "
                                + StatusFacts.text(rs.reason())));
            }
        }
        for (ServerStatus s : StatusFacts.list(status.servers())) {
            StatusFacts.aliveOnSecondaryPathOnly(status, s).ifPresent(age -> out.add("*** WARNING: server " + s.name()
                    + " is ALIVE on a secondary comm path only: its cluster connection is DEAD, so its status is its "
                    + age + " and remote exec to it fails"));
        }
        return out;
    }

    /** Maintenance mode (cluster-wide, as the placement records it): nothing protects the hierarchy until it ends. */
    private static Optional<String> maintenance(ClusterStatus status, HierarchyInfo h) {
        return status.placement(h.tag()).filter(PlacementStatus::maintenance).map(p -> "*** WARNING: hierarchy "
                + h.tag() + " is in maintenance mode: checks, local recovery and failover are suspended"
                + " ('vigil maintenance off " + h.tag() + "' ends it)");
    }

    private Optional<String> warning(ClusterStatus status, HierarchyInfo h) {
        List<String> inService = StatusFacts.serversByPriority(h).stream()
                .filter(name -> status.server(name)
                        .filter(s -> s.state() == ServerState.ALIVE)
                        .map(s -> StatusFacts.resourceOn(s, h.tag()).state().inService())
                        .orElse(false))
                .toList();
        if (inService.isEmpty()) {
            return Optional.of("*** WARNING: hierarchy " + h.tag() + " is in service on no server");
        }
        if (inService.size() > 1) {
            return Optional.of("*** WARNING: hierarchy " + h.tag() + " is in service on more than one server: "
                    + String.join(", ", inService));
        }
        return Optional.empty();
    }
}
