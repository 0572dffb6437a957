package dev.vigil.cli.format;

import dev.vigil.core.CommPathState;
import dev.vigil.core.LogType;
import dev.vigil.core.ResourceState;
import dev.vigil.core.ServerState;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.CommPathStatus;
import dev.vigil.core.status.HierarchyInfo;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.core.status.ServerStatus;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The questions every status layout asks of a {@link ClusterStatus}: which hierarchies a server
 * carries, in what priority order, what state a resource has there, and whether that server's
 * report is the stale last word of a dead server. One place, so the layouts cannot disagree.
 */
final class StatusFacts {

    private StatusFacts() {
    }

    /** The hierarchies {@code server} has a priority in (those it can run), optionally just {@code rootTag}. */
    static List<HierarchyInfo> hierarchiesOf(ClusterStatus status, String server, Optional<String> rootTag) {
        return list(status.hierarchies()).stream()
                .filter(h -> h.priorities() != null && h.priorities().containsKey(server))
                .filter(h -> rootTag.map(h.tag()::equals).orElse(true))
                .toList();
    }

    /** Every hierarchy, optionally just {@code rootTag}. */
    static List<HierarchyInfo> hierarchies(ClusterStatus status, Optional<String> rootTag) {
        return list(status.hierarchies()).stream().filter(h -> rootTag.map(h.tag()::equals).orElse(true)).toList();
    }

    /** The servers of a hierarchy, primary (lowest number) first. */
    static List<String> serversByPriority(HierarchyInfo h) {
        return h.priorities().entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
    }

    static int priority(HierarchyInfo h, String server) {
        return h.priorities().get(server);
    }

    /** The primary: the server with the highest priority (lowest number). */
    static String primary(HierarchyInfo h) {
        return serversByPriority(h).get(0);
    }

    /** The next server by priority after {@code server}, if any. */
    static Optional<String> backupAfter(HierarchyInfo h, String server) {
        List<String> order = serversByPriority(h);
        int i = order.indexOf(server);
        return i >= 0 && i + 1 < order.size() ? Optional.of(order.get(i + 1)) : Optional.empty();
    }

    /** The resource's state in {@code server}'s own report; ILLSTATE when it has not reported it. */
    static ResourceStatus resourceOn(ServerStatus server, String tag) {
        ResourceStatus r = server.resources() == null ? null : server.resources().get(tag);
        if (r == null || r.state() == null) {
            return new ResourceStatus(ResourceState.ILLSTATE, "no state reported by " + server.name());
        }
        return r;
    }

    /** For a DEAD server: "(last report at <time>: server is DEAD)"; nothing for a live one. */
    static Optional<String> deadNote(ServerStatus server, ZoneId zone) {
        if (server.state() != ServerState.DEAD) {
            return Optional.empty();
        }
        if (server.reportedAt() == null) {
            return Optional.of("(no report received: server is DEAD)");
        }
        return Optional.of("(last report at " + LogType.manualDate(server.reportedAt().atZone(zone))
                + ": server is DEAD)");
    }

    /**
     * For a peer that the answering server sees ALIVE only over a further network (its cluster
     * connection, priority 1, DEAD): how old its last report is ("last report 42 s ago").
     * Messages travel only over the cluster connection, so that peer's report is not current.
     */
    static Optional<String> aliveOnSecondaryPathOnly(ClusterStatus status, ServerStatus server) {
        if (server.state() != ServerState.ALIVE || server.name().equals(status.local())) {
            return Optional.empty();
        }
        List<CommPathStatus> paths = status.server(status.local()).map(l -> list(l.commPaths())).orElse(List.of())
                .stream().filter(p -> server.name().equals(p.to())).toList();
        boolean clusterPathDead = paths.stream().anyMatch(p -> p.priority() == 1 && p.state() == CommPathState.DEAD);
        if (!clusterPathDead || paths.stream().noneMatch(p -> p.state() == CommPathState.ALIVE)) {
            return Optional.empty();
        }
        return Optional.of(server.reportedAt() == null || status.generatedAt() == null ? "no report received"
                : "last report " + Math.max(0, Duration.between(server.reportedAt(), status.generatedAt()).toSeconds())
                + " s ago");
    }

    static String text(String s) {
        return s == null ? "" : s;
    }

    static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
