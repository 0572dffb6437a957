package dev.vigil.cli.format;

import dev.vigil.core.CommPathState;
import dev.vigil.core.ServerState;
import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.CommPathStatus;
import dev.vigil.core.status.HierarchyInfo;
import dev.vigil.core.status.ResourceInfo;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.core.status.ServerStatus;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The detailed status of a plain {@code lcdstatus}, in the original's layout: each hierarchy's
 * resources with their id, type, state, reason, dependencies and equivalencies; the servers
 * and comm paths; flags; the shutdown strategy. Vigil adds a "Cluster Status" section that shows
 * every hierarchy on every server, so a hierarchy running nowhere cannot go unnoticed.
 */
public final class DetailedStatusFormatter {
    private static final String I1 = "    ";
    private static final String I2 = "        ";
    private static final String INITIALIZE = "initialize=(AUTORES_ISP) automatic restore to IN-SERVICE by Vigil";

    private final ZoneId zone;
    private final ClusterSummary summary;

    public DetailedStatusFormatter(ZoneId zone) {
        this.zone = zone;
        this.summary = new ClusterSummary(zone);
    }

    /** {@code server}'s view; {@code rootTag} restricts it to one hierarchy. Lines end with a newline. */
    public String format(ClusterStatus status, String server, Optional<String> rootTag) {
        ServerStatus shown = status.server(server).orElseThrow();
        List<String> out = new ArrayList<>();
        out.add("Resource Hierarchy Information");
        out.add("Resource hierarchies for machine \"" + server + "\""
                + StatusFacts.deadNote(shown, zone).map(n -> " " + n).orElse("") + ":");
        for (HierarchyInfo h : StatusFacts.hierarchiesOf(status, server, rootTag)) {
            out.add("");
            out.add("ROOT of RESOURCE HIERARCHY");
            for (ResourceInfo r : StatusFacts.list(h.resources())) {
                resource(out, h, r, shown);
            }
        }

        out.add("");
        out.add("Communication Status Information");
        out.add("The following Vigil servers are known:");
        for (ServerStatus s : StatusFacts.list(status.servers())) {
            String note = shown.name().equals(status.local())
                    ? StatusFacts.aliveOnSecondaryPathOnly(status, s).map(age -> " (on a secondary comm path only:"
                    + " its cluster connection is DEAD; " + age + ")").orElse("") : "";
            out.add(I1 + "machine=" + s.name() + " state=" + serverState(status, shown, s) + note);
        }
        out.add("The following Vigil network connections exist:");
        List<CommPathStatus> paths = StatusFacts.list(shown.commPaths());
        for (CommPathStatus p : paths) {
            out.add(I1 + "to machine=" + p.to() + " type=" + p.type() + " addresses=" + p.localAddress() + "/"
                    + p.remoteAddress() + " state=\"" + p.state() + "\" priority=" + p.priority()
                    + " #comm_downs=" + p.commDowns());
        }
        if (paths.isEmpty()) {
            out.add(I1 + "(none)");
        }

        out.add("");
        out.add("Vigil Flags");
        out.add("The following Vigil flags are on:");
        out.add(I1 + (shown.shutdownStrategy() == ShutdownStrategy.SWITCHOVER ? "shutdown_switchover" : "(none)"));

        out.add("");
        out.add("Shutdown Strategy");
        out.add("The shutdown strategy is set to: "
                + (shown.shutdownStrategy() == null ? "unknown (no report)" : shown.shutdownStrategy().words()) + ".");

        out.add("");
        out.add("Cluster Status");
        out.addAll(summary.lines(status, rootTag));
        return String.join("\n", out) + "\n";
    }

    private void resource(List<String> out, HierarchyInfo h, ResourceInfo r, ServerStatus shown) {
        ResourceStatus rs = StatusFacts.resourceOn(shown, r.tag());
        out.add(r.tag() + ": id=" + r.id() + " app=" + r.app() + " type=" + r.kitType() + " state=" + rs.state());
        out.add(I1 + INITIALIZE);
        out.add(I1 + "info=" + StatusFacts.text(r.info()));
        out.add(I1 + "reason=" + StatusFacts.text(rs.reason()));
        List<String> dependsOn = StatusFacts.list(r.dependsOn());
        if (!dependsOn.isEmpty()) {
            out.add(I1 + "depends on resources: " + String.join(",", dependsOn));
        }
        List<String> dependents = StatusFacts.list(h.resources()).stream()
                .filter(other -> StatusFacts.list(other.dependsOn()).contains(r.tag()))
                .map(ResourceInfo::tag).distinct().toList();
        if (!dependents.isEmpty()) {
            out.add(I1 + "these resources are dependent: " + String.join(",", dependents));
        }
        out.add(I1 + "Local priority = " + StatusFacts.priority(h, shown.name()));
        for (String other : StatusFacts.serversByPriority(h)) {
            if (!other.equals(shown.name())) {
                out.add(I1 + "SHARED equivalency with \"" + r.tag() + "\" on \"" + other + "\", priority = "
                        + StatusFacts.priority(h, other));
                out.add(I2 + "FAILOVER ALLOWED");
            }
        }
    }

    /**
     * A server's state in {@code shown}'s view. For the answering server that is what it sees
     * now; for another server ({@code -d}) it is read from that server's last report: itself
     * ALIVE, a peer ALIVE while one of its comm paths to that peer was ALIVE.
     */
    private static String serverState(ClusterStatus status, ServerStatus shown, ServerStatus s) {
        if (shown.name().equals(status.local()) || shown.reportedAt() == null) {
            return String.valueOf(s.state());
        }
        if (s.name().equals(shown.name())) {
            return ServerState.ALIVE.name();
        }
        boolean reachable = StatusFacts.list(shown.commPaths()).stream()
                .anyMatch(p -> p.to().equals(s.name()) && p.state() == CommPathState.ALIVE);
        return (reachable ? ServerState.ALIVE : ServerState.DEAD).name();
    }
}
