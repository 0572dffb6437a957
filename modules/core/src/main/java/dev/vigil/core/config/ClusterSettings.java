package dev.vigil.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The cluster: its name, its servers in configuration order, how failures are detected, and the
 * further networks ({@code comm-paths}) the servers heartbeat each other over besides the
 * cluster connection. {@code downAfter} is how long a server must be DEAD on every comm path
 * before a server that sees a majority removes it from the membership (after which it can rejoin
 * only by restarting). {@code fencing} says how a server proves it may run a hierarchy.
 */
public record ClusterSettings(String name, List<ServerConfig> servers, FailureDetectorSettings failureDetector,
                              Duration downAfter, List<CommPathNetwork> commPaths, FencingSettings fencing) {

    /** The priority of the cluster (Pekko) connection, the first comm path between any two servers. */
    public static final int CLUSTER_PATH_PRIORITY = 1;

    public ClusterSettings {
        commPaths = List.copyOf(commPaths);
        Objects.requireNonNull(fencing, "fencing");
    }

    /** A cluster with the default fencing (quorum, guard on, no lease device). */
    public ClusterSettings(String name, List<ServerConfig> servers, FailureDetectorSettings failureDetector,
                           Duration downAfter, List<CommPathNetwork> commPaths) {
        this(name, servers, failureDetector, downAfter, commPaths, FencingSettings.DEFAULTS);
    }

    /** A cluster whose servers talk over the cluster connection only. */
    public ClusterSettings(String name, List<ServerConfig> servers, FailureDetectorSettings failureDetector,
                           Duration downAfter) {
        this(name, servers, failureDetector, downAfter, List.of());
    }

    public Optional<ServerConfig> server(String serverName) {
        return servers.stream().filter(s -> s.name().equals(serverName)).findFirst();
    }

    /** The networks joining {@code a} and {@code b} besides the cluster connection, by priority. */
    public List<CommPathNetwork> networksBetween(String a, String b) {
        return commPaths.stream().filter(n -> n.connects(a, b)).toList();
    }

    /** How many comm paths join {@code a} and {@code b}: the cluster connection and every shared network. */
    public int pathCount(String a, String b) {
        return 1 + networksBetween(a, b).size();
    }
}
