package dev.vigil.daemon.cluster;

import dev.vigil.core.CommPathState;
import dev.vigil.core.config.ServerConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.CommPathStatus;
import dev.vigil.daemon.notify.OperatorLog;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * The comm paths of this server: one TCP path per peer, whose heartbeats are Pekko Cluster's
 * failure detector. Fed by membership and reachability events, it keeps each path ALIVE while
 * the peer is a reachable member that has come Up (Up, WeaklyUp, Leaving or Exiting) and DEAD
 * otherwise (unreachable, downed, removed, or never joined). Every change is logged in the
 * manual's shapes (LCM and main log), counted in {@code #comm_downs}, and sent to the
 * {@link StatusBoard}. Once this server itself is leaving or downed, its paths go DEAD without
 * a failure line: the peers did not fail, this server left them.
 *
 * <p>Each server has a single path per peer today, so a DEAD path means a DEAD server ("all 1
 * comm paths down"); redundant paths will make that count meaningful.
 */
public final class CommPathMonitor extends AbstractBehavior<CommPathMonitor.Command> {
    /** The type of every path: Pekko Artery over TCP. */
    public static final String PATH_TYPE = "TCP";
    private static final Set<MemberStatus> ALIVE_STATUSES = Set.of(
            MemberStatus.up(), MemberStatus.weaklyUp(), MemberStatus.leaving(), MemberStatus.exiting());
    private static final Set<MemberStatus> DEPARTING_STATUSES = Set.of(
            MemberStatus.leaving(), MemberStatus.exiting(), MemberStatus.down(), MemberStatus.removed());

    public sealed interface Command {
    }

    private record MembershipChanged(ClusterEvent.MemberEvent event) implements Command {
    }

    private record ReachabilityChanged(ClusterEvent.ReachabilityEvent event) implements Command {
    }

    /** A path and what the monitor remembers about it. */
    private record Path(ServerConfig peer, CommPathState state, int commDowns) {
    }

    private final OperatorLog log;
    private final ActorRef<StatusBoard.Command> board;
    private final String localAddress;
    private final Map<String, Path> paths = new LinkedHashMap<>();
    private final Map<UniqueAddress, Member> members = new HashMap<>();
    private final Set<UniqueAddress> unreachable = new HashSet<>();
    /** Peers whose last member left in an orderly way (Exiting → Removed) since the last update. */
    private final Set<String> leftInOrder = new HashSet<>();
    private final UniqueAddress self;
    /** This server is leaving or was downed: peers vanish because of us, not because they failed. */
    private boolean departing;

    public static Behavior<Command> create(VigilConfig config, ActorRef<StatusBoard.Command> board, OperatorLog log) {
        return Behaviors.setup(ctx -> new CommPathMonitor(ctx, config, board, log));
    }

    private CommPathMonitor(ActorContext<Command> ctx, VigilConfig config, ActorRef<StatusBoard.Command> board,
                            OperatorLog log) {
        super(ctx);
        this.log = log;
        this.board = board;
        this.localAddress = config.localServer().displayAddress();
        for (ServerConfig s : config.cluster().servers()) {
            if (!s.name().equals(config.serverName())) {
                paths.put(s.name(), new Path(s, CommPathState.DEAD, 0));
            }
        }
        Cluster cluster = Cluster.get(ctx.getSystem());
        this.self = cluster.selfMember().uniqueAddress();
        cluster.subscriptions().tell(Subscribe.create(
                ctx.messageAdapter(ClusterEvent.MemberEvent.class, MembershipChanged::new),
                ClusterEvent.MemberEvent.class));
        cluster.subscriptions().tell(Subscribe.create(
                ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, ReachabilityChanged::new),
                ClusterEvent.ReachabilityEvent.class));
        board.tell(new StatusBoard.CommPathsChanged(statuses()));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(MembershipChanged.class, this::onMembershipChanged)
                .onMessage(ReachabilityChanged.class, this::onReachabilityChanged)
                .build();
    }

    private Behavior<Command> onMembershipChanged(MembershipChanged msg) {
        Member member = msg.event().member();
        if (member.uniqueAddress().equals(self) && (DEPARTING_STATUSES.contains(member.status())
                || msg.event() instanceof ClusterEvent.MemberRemoved)) {
            departing = true;
        }
        if (msg.event() instanceof ClusterEvent.MemberRemoved removed) {
            members.remove(member.uniqueAddress());
            unreachable.remove(member.uniqueAddress());
            if (removed.previousStatus().equals(MemberStatus.exiting())) {
                peerAt(member.address()).ifPresent(p -> leftInOrder.add(p.name()));
            }
        } else {
            members.put(member.uniqueAddress(), member);
        }
        return update();
    }

    private Behavior<Command> onReachabilityChanged(ReachabilityChanged msg) {
        UniqueAddress who = msg.event().member().uniqueAddress();
        if (msg.event() instanceof ClusterEvent.UnreachableMember) {
            unreachable.add(who);
        } else {
            unreachable.remove(who);
        }
        return update();
    }

    /** Recomputes every path from the membership seen so far; logs and reports what changed. */
    private Behavior<Command> update() {
        boolean changed = false;
        for (Map.Entry<String, Path> e : paths.entrySet()) {
            Path path = e.getValue();
            CommPathState now = isAlive(path.peer()) ? CommPathState.ALIVE : CommPathState.DEAD;
            if (now == path.state()) {
                continue;
            }
            changed = true;
            String peer = path.peer().name();
            String remote = path.peer().displayAddress();
            if (now == CommPathState.DEAD && departing) {
                e.setValue(new Path(path.peer(), now, path.commDowns())); // we left, the path did not fail
            } else if (now == CommPathState.DEAD) {
                e.setValue(new Path(path.peer(), now, path.commDowns() + 1));
                log.commPathFailed(peer, localAddress, remote);
                if (leftInOrder.contains(peer) || isLeaving(path.peer())) {
                    log.machineLeft(peer);
                } else {
                    log.machineFailure(peer, 1);
                }
            } else {
                e.setValue(new Path(path.peer(), now, path.commDowns()));
                log.commPathRestored(peer, localAddress, remote);
                log.machineAlive(peer);
            }
        }
        leftInOrder.clear();
        if (changed) {
            board.tell(new StatusBoard.CommPathsChanged(statuses()));
        }
        return this;
    }

    private boolean isAlive(ServerConfig peer) {
        return members.values().stream().anyMatch(m -> at(m.address(), peer)
                && ALIVE_STATUSES.contains(m.status()) && !unreachable.contains(m.uniqueAddress()));
    }

    /** A peer that announced it is leaving (Leaving, Exiting) and then went silent stopped in order. */
    private boolean isLeaving(ServerConfig peer) {
        return members.values().stream().anyMatch(m -> at(m.address(), peer)
                && (m.status().equals(MemberStatus.leaving()) || m.status().equals(MemberStatus.exiting())));
    }

    private java.util.Optional<ServerConfig> peerAt(Address address) {
        return paths.values().stream().map(Path::peer).filter(p -> at(address, p)).findFirst();
    }

    private static boolean at(Address address, ServerConfig server) {
        return address.getHost().map(server.host()::equals).orElse(false)
                && address.getPort().map(p -> p == server.port()).orElse(false);
    }

    private List<CommPathStatus> statuses() {
        return paths.values().stream()
                .map(p -> new CommPathStatus(p.peer().name(), PATH_TYPE, localAddress, p.peer().displayAddress(),
                        p.state(), 1, p.commDowns()))
                .toList();
    }
}
