package dev.vigil.daemon.cluster;

import dev.vigil.core.CommPathState;
import dev.vigil.core.ServerState;
import dev.vigil.core.config.ClusterSettings;
import dev.vigil.core.config.CommPathNetwork;
import dev.vigil.core.config.ServerConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.CommPathStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every comm path from this server to its peers and what follows from their states: a peer is
 * ALIVE while any path to it is ALIVE. Path 1 to each peer is the cluster (Pekko) connection,
 * type TCP; paths 2.. are the comm path networks both servers have an address on, type UDP,
 * numbered by the network's priority. Plain data, owned by {@link CommPathMonitor}; each change
 * comes back as a {@link Change} saying what an operator must be told.
 */
final class PathTable {
    /** Type shown for the cluster connection (Pekko Artery over TCP). */
    static final String CLUSTER_PATH_TYPE = "TCP";
    /** Type shown for a path over a comm path network (heartbeat datagrams). */
    static final String NETWORK_PATH_TYPE = "UDP";

    /** One path and its history. {@code network} is null for the cluster connection. */
    record Path(String peer, int priority, String type, String network, String localAddress, String remoteAddress,
                CommPathState state, int commDowns) {

        String addresses() {
            return localAddress + "/" + remoteAddress;
        }

        Path with(CommPathState newState, boolean countDown) {
            return new Path(peer, priority, type, network, localAddress, remoteAddress, newState,
                    countDown ? commDowns + 1 : commDowns);
        }
    }

    /** A path that changed state, and how many paths to its peer are ALIVE before and after, out of {@code total}. */
    record Change(Path path, int aliveBefore, int aliveAfter, int total) {

        boolean serverDied() {
            return aliveBefore > 0 && aliveAfter == 0;
        }

        boolean serverCameAlive() {
            return aliveBefore == 0 && aliveAfter > 0;
        }
    }

    /** peer → its paths by priority. */
    private final Map<String, List<Path>> paths = new LinkedHashMap<>();

    PathTable(VigilConfig config) {
        ClusterSettings cluster = config.cluster();
        String self = config.serverName();
        String localAddress = config.localServer().displayAddress();
        for (ServerConfig peer : cluster.servers()) {
            if (peer.name().equals(self)) {
                continue;
            }
            List<Path> list = new ArrayList<>();
            list.add(new Path(peer.name(), ClusterSettings.CLUSTER_PATH_PRIORITY, CLUSTER_PATH_TYPE, null, localAddress,
                    peer.displayAddress(), CommPathState.DEAD, 0));
            for (CommPathNetwork n : cluster.networksBetween(self, peer.name())) {
                list.add(new Path(peer.name(), n.priority(), NETWORK_PATH_TYPE, n.name(), n.displayAddress(self),
                        n.displayAddress(peer.name()), CommPathState.DEAD, 0));
            }
            paths.put(peer.name(), list);
        }
    }

    /** The path to {@code peer} over {@code network} ({@code null}: the cluster connection), if there is one. */
    Optional<Path> path(String peer, String network) {
        return paths.getOrDefault(peer, List.of()).stream()
                .filter(p -> network == null ? p.network() == null : network.equals(p.network())).findFirst();
    }

    /**
     * Sets a path's state; empty when it already was in it. A path going DEAD counts in its
     * {@code commDowns} when {@code countDown} (not when this server itself is leaving).
     */
    Optional<Change> set(String peer, String network, CommPathState state, boolean countDown) {
        List<Path> list = paths.get(peer);
        Optional<Path> path = path(peer, network);
        if (list == null || path.isEmpty() || path.get().state() == state) {
            return Optional.empty();
        }
        int before = alive(peer);
        Path changed = path.get().with(state, countDown && state == CommPathState.DEAD);
        list.set(list.indexOf(path.get()), changed);
        return Optional.of(new Change(changed, before, alive(peer), list.size()));
    }

    int alive(String peer) {
        return (int) paths.getOrDefault(peer, List.of()).stream().filter(p -> p.state() == CommPathState.ALIVE).count();
    }

    /** The ALIVE paths to {@code peer}, by priority. */
    List<Path> alivePaths(String peer) {
        return paths.getOrDefault(peer, List.of()).stream().filter(p -> p.state() == CommPathState.ALIVE).toList();
    }

    /** Every peer's state as seen from here: ALIVE while any path to it is ALIVE. */
    Map<String, ServerState> serverStates() {
        Map<String, ServerState> out = new LinkedHashMap<>();
        paths.keySet().forEach(peer -> out.put(peer, alive(peer) > 0 ? ServerState.ALIVE : ServerState.DEAD));
        return out;
    }

    /** Every path, peers in configuration order, each peer's paths by priority: what status shows. */
    List<CommPathStatus> statuses() {
        return paths.values().stream().flatMap(List::stream)
                .map(p -> new CommPathStatus(p.peer(), p.type(), p.localAddress(), p.remoteAddress(), p.state(),
                        p.priority(), p.commDowns()))
                .toList();
    }
}
