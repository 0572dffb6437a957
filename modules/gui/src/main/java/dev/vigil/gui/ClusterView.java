package dev.vigil.gui;

import dev.vigil.core.CommPathState;
import dev.vigil.core.ResourceState;
import dev.vigil.core.ServerState;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.CommPathStatus;
import dev.vigil.core.status.HierarchyInfo;
import dev.vigil.core.status.PlacementStatus;
import dev.vigil.core.status.ResourceInfo;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.core.status.ServerStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the GUI and {@code /api/v1} show: the daemon's {@link ClusterStatus} (the one source of
 * truth the commands read too) put in the GUI's words. A server is Alive, Alive-with-warning (a
 * comm path down, or a peer reached over one path only) or Dead; a resource on a server is
 * Active, Degraded, StandBy, Failed or Unknown (with the manual's code, ISP…ILLSTATE, and the
 * reason); a hierarchy has the owner it is in service on, whether it is in maintenance mode and
 * the last error of its resources.
 * The resources of a Dead server are Unknown: what it last reported is only in the reason.
 */
public record ClusterView(String cluster, String local, Instant generatedAt, List<Server> servers,
                          List<Hierarchy> hierarchies) {

    public record Server(String name, String address, ServerState state, String health, String warning,
                         String shutdownStrategy, List<CommPathStatus> commPaths) {
    }

    /** A resource's (or hierarchy's root's) state on one server. */
    public record State(ResourceState code, String word, String description, String reason) {
        static State of(ResourceState s, String reason) {
            return new State(s, s.guiWord(), s.description(), reason);
        }
    }

    public record Resource(String tag, String id, String type, String app, String info, List<String> dependsOn,
                           int depth, Map<String, State> states, String lastError) {
    }

    /** {@code maintenance}: in maintenance mode, cluster-wide, as the placement records it (no checks, no failover). */
    public record Hierarchy(String tag, String switchback, Map<String, Integer> priorities, String owner,
                            boolean maintenance, Map<String, State> states, List<Resource> resources, String lastError) {
    }

    public static ClusterView of(ClusterStatus status) {
        List<Server> servers = status.servers().stream().map(ClusterView::server).toList();
        List<Hierarchy> hierarchies = status.hierarchies().stream().map(h -> hierarchy(h, status)).toList();
        return new ClusterView(status.cluster(), status.local(), status.generatedAt(), servers, hierarchies);
    }

    /** The same view without its time, to tell whether anything an operator sees changed. */
    public ClusterView timeless() {
        return new ClusterView(cluster, local, null, servers, hierarchies);
    }

    public Optional<Server> server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The hierarchy whose root or any resource is {@code tag}. */
    public Optional<Hierarchy> hierarchyOf(String tag) {
        return hierarchies.stream().filter(h -> h.tag().equals(tag)
                || h.resources().stream().anyMatch(r -> r.tag().equals(tag))).findFirst();
    }

    public List<String> tags() {
        return hierarchies.stream().flatMap(h -> h.resources().stream().map(Resource::tag)).toList();
    }

    private static Server server(ServerStatus s) {
        String warning = s.state() == ServerState.DEAD ? "" : warning(s);
        String health = s.state() == ServerState.DEAD ? "Dead" : warning.isEmpty() ? "Alive" : "Alive-with-warning";
        return new Server(s.name(), s.address(), s.state(), health, warning,
                s.shutdownStrategy() == null ? null : s.shutdownStrategy().name(), s.commPaths());
    }

    /** Why an alive server is shown with a warning: a comm path down, or a peer with one path only. */
    private static String warning(ServerStatus s) {
        List<CommPathStatus> down = s.commPaths().stream().filter(p -> p.state() != CommPathState.ALIVE).toList();
        if (!down.isEmpty()) {
            return down.stream().map(p -> "comm path to " + p.to() + " (" + p.type() + " " + p.remoteAddress() + ") is DEAD")
                    .collect(Collectors.joining("; "));
        }
        Map<String, Long> paths = s.commPaths().stream()
                .collect(Collectors.groupingBy(CommPathStatus::to, LinkedHashMap::new, Collectors.counting()));
        List<String> single = paths.entrySet().stream().filter(e -> e.getValue() < 2).map(Map.Entry::getKey).toList();
        return single.isEmpty() ? "" : "no redundant comm path to " + String.join(", ", single);
    }

    private static Hierarchy hierarchy(HierarchyInfo h, ClusterStatus status) {
        List<Resource> resources = h.resources().stream().map(r -> resource(r, h, status)).toList();
        Map<String, State> rootStates = resources.isEmpty() ? Map.of() : resources.get(0).states();
        String owner = rootStates.entrySet().stream().filter(e -> e.getValue().code().inService())
                .map(Map.Entry::getKey).findFirst().orElse(null);
        String lastError = resources.stream().map(Resource::lastError).filter(e -> e != null).findFirst().orElse(null);
        boolean maintenance = status.placement(h.tag()).map(PlacementStatus::maintenance).orElse(false);
        return new Hierarchy(h.tag(), h.switchback(), h.priorities(), owner, maintenance, rootStates, resources, lastError);
    }

    private static Resource resource(ResourceInfo r, HierarchyInfo h, ClusterStatus status) {
        Map<String, State> states = new LinkedHashMap<>();
        String lastError = null;
        for (ServerStatus s : status.servers()) {
            if (!h.priorities().containsKey(s.name())) {
                continue;
            }
            ResourceStatus rs = s.resources().get(r.tag());
            if (s.state() == ServerState.DEAD) {
                states.put(s.name(), State.of(ResourceState.ILLSTATE, "server " + s.name() + " is DEAD"
                        + (rs == null ? "" : "; it last reported " + rs.state() + " (" + rs.reason() + ")")));
            } else if (rs == null) {
                states.put(s.name(), State.of(ResourceState.ILLSTATE, "not reported by " + s.name() + " yet"));
            } else {
                states.put(s.name(), State.of(rs.state(), rs.reason()));
                if (rs.state() == ResourceState.OSF && lastError == null) {
                    lastError = s.name() + ": " + rs.reason();
                }
            }
        }
        return new Resource(r.tag(), r.id(), r.type(), r.app(), r.info(), r.dependsOn(), r.depth(), states, lastError);
    }
}
