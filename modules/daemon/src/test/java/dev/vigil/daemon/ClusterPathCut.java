package dev.vigil.daemon;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vigil.daemon.cluster.heartbeat.HeartbeatFaultInjection;
import dev.vigil.daemon.cluster.heartbeat.HeartbeatTransport;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.remote.RemoteActorRefProvider;
import org.apache.pekko.remote.transport.ThrottlerTransportAdapter;
import scala.concurrent.Await;
import scala.concurrent.duration.FiniteDuration;

/**
 * Cuts the cluster connection (comm path 1) between two servers in one JVM: Pekko Artery's
 * traffic as Pekko's own multi-node test kit does ("blackhole"), and Vigil's UDP heartbeats on
 * the same addresses ({@link HeartbeatFaultInjection}). Everything between this server and the
 * other is dropped in both directions while the other comm paths keep working. Needs
 * {@link #testMode()} in the actor system's configuration.
 */
public final class ClusterPathCut {
    private ClusterPathCut() {
    }

    /** The Pekko setting that lets Artery drop traffic on request (off in production). */
    public static Config testMode() {
        return ConfigFactory.parseString("pekko.remote.artery.advanced.test-mode = on");
    }

    /** Drops (or, with {@code cut} false, passes again) all traffic between {@code system} and {@code other}. */
    @SuppressWarnings("deprecation")
    public static void set(ActorSystem<?> system, Address other, boolean cut) throws Exception {
        ExtendedActorSystem classic = (ExtendedActorSystem) Adapter.toClassic(system);
        RemoteActorRefProvider provider = (RemoteActorRefProvider) classic.provider();
        ThrottlerTransportAdapter.ThrottleMode mode = cut ? ThrottlerTransportAdapter.Blackhole$.MODULE$
                : ThrottlerTransportAdapter.Unthrottled$.MODULE$;
        // Scala's nested singleton Direction.Both has no Java name; its class has.
        ThrottlerTransportAdapter.Direction both = (ThrottlerTransportAdapter.Direction) Class.forName(
                "org.apache.pekko.remote.transport.ThrottlerTransportAdapter$Direction$Both$").getField("MODULE$")
                .get(null);
        HeartbeatFaultInjection.get(system).cutPathForTesting(HeartbeatTransport.CLUSTER_NETWORK,
                other.getHost().orElseThrow(), (Integer) other.getPort().orElseThrow(), cut);
        Await.result(provider.transport().managementCommand(new ThrottlerTransportAdapter.SetThrottle(other, both, mode)),
                FiniteDuration.apply(5, TimeUnit.SECONDS));
    }
}
