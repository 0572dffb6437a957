package dev.vigil.daemon.cluster.heartbeat;

import dev.vigil.core.config.CommPathNetwork.Endpoint;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * FOR TESTS ONLY: a switch per comm path network, and one per path, that makes this server's
 * {@link HeartbeatTransport} behave as if its cable on that network (or to that peer) were
 * unplugged (nothing sent, everything received dropped), so failure simulations can cut and
 * restore one path without touching the machine's network. The cluster connection's UDP
 * heartbeats ({@link HeartbeatTransport#CLUSTER_NETWORK}) are cut with Pekko's traffic by the
 * tests' ClusterPathCut. Nothing in the daemon ever flips it; in production every network
 * stays plugged in. One instance per actor system (a Pekko extension), so daemons sharing a JVM in
 * a test are cut independently.
 */
public final class HeartbeatFaultInjection implements Extension {
    private static final ExtensionId<HeartbeatFaultInjection> ID = new ExtensionId<>() {
        @Override
        public HeartbeatFaultInjection createExtension(ActorSystem<?> system) {
            return new HeartbeatFaultInjection();
        }
    };

    private final Set<String> unplugged = ConcurrentHashMap.newKeySet();
    private final Set<String> cutPaths = ConcurrentHashMap.newKeySet();

    private HeartbeatFaultInjection() {
    }

    public static HeartbeatFaultInjection get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    /** Tests only: cuts this server off {@code network}. */
    public void unplugForTesting(String network) {
        unplugged.add(network);
    }

    /** Tests only: connects this server to {@code network} again. */
    public void plugInForTesting(String network) {
        unplugged.remove(network);
    }

    /** Tests only: cuts (or, with {@code cut} false, restores) the path to the peer at {@code host:port} on {@code network}. */
    public void cutPathForTesting(String network, String host, int port, boolean cut) {
        if (cut) {
            cutPaths.add(network + " " + host + ":" + port);
        } else {
            cutPaths.remove(network + " " + host + ":" + port);
        }
    }

    /** True while a test has cut this server off {@code network}, or off {@code peer} on it (both directions). */
    public boolean isCut(String network, Endpoint peer, boolean outgoing) {
        return unplugged.contains(network) || !cutPaths.isEmpty()
                && cutPaths.contains(network + " " + peer.host() + ":" + peer.port());
    }
}
