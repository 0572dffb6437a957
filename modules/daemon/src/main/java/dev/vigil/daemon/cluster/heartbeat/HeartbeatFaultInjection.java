package dev.vigil.daemon.cluster.heartbeat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * FOR TESTS ONLY: a switch per comm path network that makes this server's
 * {@link HeartbeatTransport} behave as if its cable on that network were unplugged (nothing sent,
 * everything received dropped), so failure simulations can cut and restore one path without
 * touching the machine's network. Nothing in the daemon ever flips it; in production every network
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

    /** True while a test has cut this server off {@code network}. */
    public boolean isUnplugged(String network) {
        return unplugged.contains(network);
    }
}
