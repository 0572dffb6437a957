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
 * {@code rejoinWait} is how long the first configured server, restarting after it has been a
 * member, tries to join the other servers before it forms the cluster alone.
 */
public record ClusterSettings(String name, List<ServerConfig> servers, FailureDetectorSettings failureDetector,
                              Duration downAfter, List<CommPathNetwork> commPaths, FencingSettings fencing,
                              Duration rejoinWait) {

    /** The priority of the cluster (Pekko) connection, the first comm path between any two servers. */
    public static final int CLUSTER_PATH_PRIORITY = 1;
    /** The default of {@code cluster.rejoin-wait}. */
    public static final Duration DEFAULT_REJOIN_WAIT = Duration.ofSeconds(30);

    public ClusterSettings {
        commPaths = List.copyOf(commPaths);
        Objects.requireNonNull(fencing, "fencing");
        Objects.requireNonNull(rejoinWait, "rejoinWait");
    }

    /** A cluster with the default rejoin wait. */
    public ClusterSettings(String name, List<ServerConfig> servers, FailureDetectorSettings failureDetector,
                           Duration downAfter, List<CommPathNetwork> commPaths, FencingSettings fencing) {
        this(name, servers, failureDetector, downAfter, commPaths, fencing, DEFAULT_REJOIN_WAIT);
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

    /** True when {@code serverName} is the first configured server: the only one that may form a new cluster. */
    public boolean isFirst(String serverName) {
        return servers.get(0).name().equals(serverName);
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
