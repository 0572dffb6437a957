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
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;

/**
 * Vigil's downing rule, in place of Pekko's split-brain resolver (which knows only the cluster
 * connection and would remove a server that another comm path shows alive). A member is downed
 * — removed from the cluster, so that the survivors may take over its work — only when
 * <ol>
 *   <li>it has been DEAD on every comm path, as seen from here, for {@code cluster.down-after};</li>
 *   <li>the cluster also considers it unreachable (a reachable member, e.g. one still joining, is
 *       never downed);</li>
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
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(ServersChanged.class, this::onServersChanged)
                .onMessage(DeadLongEnough.class, msg -> {
                    evaluate(msg.peer());
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
        Optional<Member> member = unreachableMember(peer);
        if (member.isEmpty() || !selfIsUp()) {
            return;
        }
        int alive = 1 + (int) peers.values().stream().filter(s -> s == ServerState.ALIVE).count();
        if (alive * 2 <= total) {
            if (heldBack.add(peer)) {
                log.notRemovingWithoutMajority(peer, alive, total);
            }
            return;
        }
        downed.add(peer);
        log.removingFromCluster(peer, config.cluster().pathCount(config.serverName(), peer), downAfter.toMillis(),
                alive, total);
        cluster.manager().tell(new Down(member.get().address()));
    }

    /** The peer's member, if the cluster has it (not already Down or Removed) and considers it unreachable. */
    private Optional<Member> unreachableMember(String peer) {
        ServerConfig server = config.cluster().server(peer).orElseThrow();
        return StreamSupport.stream(cluster.state().getUnreachable().spliterator(), false)
                .filter(m -> CommPathMonitor.at(m.address(), server))
                .filter(m -> !m.status().equals(MemberStatus.down()) && !m.status().equals(MemberStatus.removed()))
                .findFirst();
    }

    private boolean selfIsUp() {
        MemberStatus status = cluster.selfMember().status();
        return status.equals(MemberStatus.up()) || status.equals(MemberStatus.weaklyUp());
    }
}
