package dev.vigil.daemon.cluster;

import dev.vigil.core.ServerState;
import dev.vigil.core.config.ServerConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.daemon.notify.OperatorLog;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Vigil's downing rule, in place of Pekko's split-brain resolver (which knows only the cluster
 * connection and would remove a server that another comm path shows alive). A member is downed
 * — removed from the cluster, so that the survivors may take over its work — only when
 * <ol>
 *   <li>it has been DEAD on every comm path, as seen from here, for {@code cluster.down-after};</li>
 *   <li>the cluster also considers it unreachable (a reachable member, e.g. one still joining, is
 *       never downed): Pekko's failure detector, slower than Vigil's heartbeats, may say so after
 *       down-after has passed, so every change of reachability judges the peers again;</li>
 *   <li>this server is Up and sees a strict majority of the configured servers, itself included,
 *       ALIVE.</li>
 * </ol>
 * So in a partition only the majority side downs anybody, and in a two-server cluster nobody is
 * downed automatically: a crashed server stays an unreachable member until its daemon restarts,
 * when its new incarnation replaces it (Pekko downs the old one as the new one joins). Every
 * server applying the rule issues the same Down; Pekko makes that idempotent.
 */
public final class DowningRule extends AbstractBehavior<DowningRule.Command> {

    public sealed interface Command {
    }

    /** From the comm path monitor: every peer's state as seen from here (ALIVE while any path is). */
    public record ServersChanged(Map<String, ServerState> peers) implements Command {
    }

    private record DeadLongEnough(String peer) implements Command {
    }

    private record ReachabilityChanged(ClusterEvent.ReachabilityEvent event) implements Command {
    }

    private record Removed(ClusterEvent.MemberRemoved event) implements Command {
    }

    private final VigilConfig config;
    private final OperatorLog log;
    private final TimerScheduler<Command> timers;
    private final Cluster cluster;
    private final Duration downAfter;
    private final int total;
    private Map<String, ServerState> peers = new LinkedHashMap<>();
    /** Peers DEAD on every path, and since when (System.nanoTime). */
    private final Map<String, Long> deadSince = new HashMap<>();
    /** Peers downed (or held back for lack of a majority, logged once) in their current DEAD spell. */
    private final Set<String> downed = new HashSet<>();
    private final Set<String> heldBack = new HashSet<>();
    /**
     * Unreachable members as the reachability events told: the event may reach this actor before
     * {@code cluster.state()} shows it.
     */
    private final Map<UniqueAddress, Member> unreachable = new HashMap<>();

    public static Behavior<Command> create(VigilConfig config, OperatorLog log) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new DowningRule(ctx, timers, config, log)));
    }

    private DowningRule(ActorContext<Command> ctx, TimerScheduler<Command> timers, VigilConfig config,
                        OperatorLog log) {
        super(ctx);
        this.config = config;
        this.log = log;
        this.timers = timers;
        this.cluster = Cluster.get(ctx.getSystem());
        this.downAfter = config.cluster().downAfter();
        this.total = config.cluster().servers().size();
        cluster.subscriptions().tell(Subscribe.create(
                ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, ReachabilityChanged::new),
                ClusterEvent.ReachabilityEvent.class));
        cluster.subscriptions().tell(Subscribe.create(
                ctx.messageAdapter(ClusterEvent.MemberRemoved.class, Removed::new), ClusterEvent.MemberRemoved.class));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(ServersChanged.class, this::onServersChanged)
                .onMessage(DeadLongEnough.class, msg -> {
                    evaluate(msg.peer());
                    return this;
                })
                .onMessage(ReachabilityChanged.class, msg -> {
                    Member m = msg.event().member();
                    if (msg.event() instanceof ClusterEvent.UnreachableMember) {
                        unreachable.put(m.uniqueAddress(), m);
                    } else {
                        unreachable.remove(m.uniqueAddress());
                    }
                    peers.keySet().forEach(this::evaluate);
                    return this;
                })
                .onMessage(Removed.class, msg -> {
                    unreachable.remove(msg.event().member().uniqueAddress());
                    return this;
                })
                .build();
    }

    private Behavior<Command> onServersChanged(ServersChanged msg) {
        peers = new LinkedHashMap<>(msg.peers());
        long now = System.nanoTime();
        peers.forEach((peer, state) -> {
            if (state == ServerState.ALIVE) {
                deadSince.remove(peer);
                downed.remove(peer);
                heldBack.remove(peer);
                timers.cancel(peer);
            } else if (!deadSince.containsKey(peer)) {
                deadSince.put(peer, now);
                timers.startSingleTimer(peer, new DeadLongEnough(peer), downAfter);
            }
        });
        // A majority may have formed (or vanished): every long-dead peer is judged again.
        peers.keySet().forEach(this::evaluate);
        return this;
    }

    private void evaluate(String peer) {
        Long since = deadSince.get(peer);
        if (since == null || downed.contains(peer) || System.nanoTime() - since < downAfter.toNanos()) {
            return;
        }
        if (!selfIsUp() || !isMember(peer)) {
            return;
        }
        int alive = 1 + (int) peers.values().stream().filter(s -> s == ServerState.ALIVE).count();
        if (alive * 2 <= total) {
            if (heldBack.add(peer)) {
                log.notRemovingWithoutMajority(peer, alive, total);
            }
            return;
        }
        Optional<Member> member = unreachableMember(peer);
        if (member.isEmpty()) {
            return; // Pekko's slower detector has not found it yet: judged again when it does
        }
        downed.add(peer);
        log.removingFromCluster(peer, config.cluster().pathCount(config.serverName(), peer), downAfter.toMillis(),
                alive, total);
        cluster.manager().tell(new Down(member.get().address()));
    }

    /** The cluster has a member of the peer that is not already Down or Removed. */
    private boolean isMember(String peer) {
        ServerConfig server = config.cluster().server(peer).orElseThrow();
        return Stream.concat(StreamSupport.stream(cluster.state().getMembers().spliterator(), false),
                        unreachable.values().stream())
                .anyMatch(m -> CommPathMonitor.at(m.address(), server) && !m.status().equals(MemberStatus.down())
                        && !m.status().equals(MemberStatus.removed()));
    }

    /** The peer's member, if the cluster has it (not already Down or Removed) and considers it unreachable. */
    private Optional<Member> unreachableMember(String peer) {
        ServerConfig server = config.cluster().server(peer).orElseThrow();
        return Stream.concat(StreamSupport.stream(cluster.state().getUnreachable().spliterator(), false),
                        unreachable.values().stream())
                .filter(m -> CommPathMonitor.at(m.address(), server))
                .filter(m -> !m.status().equals(MemberStatus.down()) && !m.status().equals(MemberStatus.removed()))
                .findFirst();
    }

    private boolean selfIsUp() {
        MemberStatus status = cluster.selfMember().status();
        return status.equals(MemberStatus.up()) || status.equals(MemberStatus.weaklyUp());
    }
}
