package dev.vigil.core.status;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The whole cluster's status as one server knows it: the JSON body of {@code GET /v1/status}
 * on the admin API, which every command and (later) the GUI, REST API and JMX read.
 *
 * @param local      the server that answered
 * @param placements each hierarchy's owner and the reason of the latest placement decision
 */
public record ClusterStatus(String local, String cluster, Instant generatedAt, List<ServerStatus> servers,
                            List<HierarchyInfo> hierarchies, List<PlacementStatus> placements) {

    public ClusterStatus {
        placements = placements == null ? List.of() : List.copyOf(placements);
    }

    /** A status without placement decisions (a server that has made none yet). */
    public ClusterStatus(String local, String cluster, Instant generatedAt, List<ServerStatus> servers,
                         List<HierarchyInfo> hierarchies) {
        this(local, cluster, generatedAt, servers, hierarchies, List.of());
    }

    public Optional<PlacementStatus> placement(String tag) {
        return placements.stream().filter(p -> p.tag().equals(tag)).findFirst();
    }

    public Optional<ServerStatus> server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
