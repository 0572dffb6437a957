package dev.vigil.core.status;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The whole cluster's status as one server knows it: the JSON body of {@code GET /v1/status}
 * on the admin API, which every command and (later) the GUI, REST API and JMX read.
 *
 * @param local the server that answered
 */
public record ClusterStatus(String local, String cluster, Instant generatedAt, List<ServerStatus> servers,
                            List<HierarchyInfo> hierarchies) {

    public Optional<ServerStatus> server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
