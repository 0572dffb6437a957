package dev.vigil.daemon.cluster;

import dev.vigil.core.CommPathState;
import dev.vigil.core.config.CommPathNetwork;
import dev.vigil.core.config.ServerConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.daemon.PekkoSettings;
import dev.vigil.daemon.cluster.PathTable.Change;
import dev.vigil.daemon.cluster.heartbeat.HeartbeatFaultInjection;
import dev.vigil.daemon.cluster.heartbeat.HeartbeatTransport;
import dev.vigil.daemon.notify.OperatorLog;
import dev.vigil.daemon.remote.RemoteExec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
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
 * The comm paths of this server to every peer ({@link PathTable}). Path 1 is the cluster
 * connection: ALIVE while the peer is a member that has come Up (Up, WeaklyUp, Leaving, Exiting),
 * the cluster does not consider it unreachable (Pekko's own failure detector, on the TCP
 * connection, at 1 s heartbeats or slower) <em>and</em> Vigil's UDP heartbeats on the same
 * addresses ({@link HeartbeatTransport#CLUSTER_NETWORK}, at cluster.failure-detector's pace)
 * find it ALIVE: the fast detector finds a dead server, the slow one a connection that carries
 * datagrams but not messages. Paths 2.. go over the comm path networks. Every UDP path is
 * heartbeated by a {@link HeartbeatTransport} on its own thread, whose verdicts arrive here as
 * messages.
 *
 * <p>Every path change is logged in the LCM log and counted in {@code #comm_downs}; a peer is
 * ALIVE while any path to it is ALIVE, so the main log's MACHINE FAILURE line comes only when the
 * last path dies, and a peer left with a single ALIVE path out of several gets a warning. Every
 * change goes to the {@link StatusBoard} (paths) and to the {@link DowningRule} (servers). Once
 * this server itself is leaving or downed, its paths go DEAD without failure lines: the peers
 * did not fail, this server left them.
 */
public final class CommPathMonitor extends AbstractBehavior<CommPathMonitor.Command> {
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

    private record HeartbeatEvent(HeartbeatTransport.Event event) implements Command {
    }

    private final OperatorLog log;
    private final ActorRef<StatusBoard.Command> board;
    private final ActorRef<DowningRule.Command> downing;
    /** Told which peers are silent on the cluster connection: it sends them no request. */
    private final ActorRef<RemoteExec.Command> remoteExec;
    private final List<ServerConfig> peers;
    private final PathTable table;
    private final HeartbeatTransport transport;
    private final Map<UniqueAddress, Member> members = new HashMap<>();
    private final Set<UniqueAddress> unreachable = new HashSet<>();
    /** Peers that announced they are leaving (Leaving, Exiting, or removed after Exiting) and have not come back. */
    private final Set<String> leftInOrder = new HashSet<>();
    /**
     * Peers whose UDP heartbeats on the cluster connection's addresses are ALIVE, and the life
     * (incarnation) heard: only the member of that life counts ({@link PekkoSettings#lifeRole}),
     * not the unreachable member of a life that ended a moment ago.
     */
    private final Map<String, Long> heartbeating = new HashMap<>();
    /** Peers for which "no redundant comm path" was logged and not yet lifted. */
    private final Set<String> withoutRedundancy = new HashSet<>();
    private final UniqueAddress self;
    /** This server is leaving or was downed: peers vanish because of us, not because they failed. */
    private boolean departing;

    /**
     * @param incarnation this server's life, carried in its heartbeats
     */
    public static Behavior<Command> create(VigilConfig config, long incarnation, ActorRef<StatusBoard.Command> board,
                                           ActorRef<DowningRule.Command> downing,
                                           ActorRef<RemoteExec.Command> remoteExec, OperatorLog log) {
        return Behaviors.setup(ctx -> new CommPathMonitor(ctx, config, incarnation, board, downing, remoteExec, log));
    }

    private CommPathMonitor(ActorContext<Command> ctx, VigilConfig config, long incarnation,
                            ActorRef<StatusBoard.Command> board, ActorRef<DowningRule.Command> downing,
                            ActorRef<RemoteExec.Command> remoteExec, OperatorLog log) {
        super(ctx);
        this.remoteExec = remoteExec;
        this.log = log;
        this.board = board;
        this.downing = downing;
        this.table = new PathTable(config);
        this.peers = config.cluster().servers().stream().filter(s -> !s.name().equals(config.serverName())).toList();
        Cluster cluster = Cluster.get(ctx.getSystem());
        this.self = cluster.selfMember().uniqueAddress();
        cluster.subscriptions().tell(Subscribe.create(
                ctx.messageAdapter(ClusterEvent.MemberEvent.class, MembershipChanged::new),
                ClusterEvent.MemberEvent.class));
        cluster.subscriptions().tell(Subscribe.create(
                ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, ReachabilityChanged::new),
                ClusterEvent.ReachabilityEvent.class));
        HeartbeatFaultInjection faults = HeartbeatFaultInjection.get(ctx.getSystem());
        ActorRef<Command> me = ctx.getSelf();
        try {
            List<CommPathNetwork> networks = new ArrayList<>();
            networks.add(HeartbeatTransport.clusterConnection(config.cluster().servers()));
            networks.addAll(config.cluster().commPaths());
            HeartbeatTransport t = new HeartbeatTransport(config.serverName(), config.cluster().name(), incarnation,
                    networks, config.cluster().failureDetector(), event -> me.tell(new HeartbeatEvent(event)),
                    faults::isCut);
            this.transport = t.hasNetworks() ? t.start() : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the heartbeat selector", e);
        }
        publish();
        tellRemoteExec();
    }

    /** The peers whose heartbeats on the cluster connection are not ALIVE, for remote exec. */
    private void tellRemoteExec() {
        Set<String> silent = new HashSet<>();
        peers.forEach(p -> {
            if (!heartbeating.containsKey(p.name())) {
                silent.add(p.name());
            }
        });
        remoteExec.tell(new RemoteExec.SilentPeers(Set.copyOf(silent)));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(MembershipChanged.class, this::onMembershipChanged)
                .onMessage(ReachabilityChanged.class, this::onReachabilityChanged)
                .onMessage(HeartbeatEvent.class, this::onHeartbeatEvent)
                .onSignal(PostStop.class, signal -> {
                    if (transport != null) {
                        transport.close();
                    }
                    return this;
                })
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
            if (member.status().equals(MemberStatus.leaving()) || member.status().equals(MemberStatus.exiting())) {
                peerAt(member.address()).ifPresent(p -> leftInOrder.add(p.name()));
            } else if (member.status().equals(MemberStatus.up()) || member.status().equals(MemberStatus.weaklyUp())) {
                peerAt(member.address()).ifPresent(p -> leftInOrder.remove(p.name())); // a new life
            }
        }
        return updateClusterPaths();
    }

    private Behavior<Command> onReachabilityChanged(ReachabilityChanged msg) {
        UniqueAddress who = msg.event().member().uniqueAddress();
        if (msg.event() instanceof ClusterEvent.UnreachableMember) {
            unreachable.add(who);
        } else {
            unreachable.remove(who);
        }
        return updateClusterPaths();
    }

    private Behavior<Command> onHeartbeatEvent(HeartbeatEvent msg) {
        HeartbeatTransport.Event e = msg.event();
        if (e instanceof HeartbeatTransport.PathChanged c && c.network().equals(HeartbeatTransport.CLUSTER_NETWORK)) {
            if (c.alive()) {
                heartbeating.put(c.peer(), c.incarnation());
            } else {
                heartbeating.remove(c.peer());
            }
            tellRemoteExec();
            return updateClusterPaths();
        } else if (e instanceof HeartbeatTransport.PathChanged c) {
            if (!departing) {
                CommPathState state = c.alive() ? CommPathState.ALIVE : CommPathState.DEAD;
                table.set(c.peer(), c.network(), state, true).ifPresent(this::report);
                publish();
            }
        } else if (e instanceof HeartbeatTransport.BindFailed f) {
            log.heartbeatBindFailed(named(f.network()), f.endpoint(), f.reason(), HeartbeatTransport.REBIND_INTERVAL_MS);
        } else if (e instanceof HeartbeatTransport.Bound b) {
            log.heartbeatBound(named(b.network()), b.endpoint());
        } else if (e instanceof HeartbeatTransport.Ignored i) {
            log.heartbeatIgnored(named(i.network()), i.from(), i.reason());
        } else if (e instanceof HeartbeatTransport.Failed f) {
            log.heartbeatStopped(f.reason());
        }
        return this;
    }

    /** How the log names a network's paths. */
    private static String named(String network) {
        return network.equals(HeartbeatTransport.CLUSTER_NETWORK) ? "the cluster connection" : "comm path " + network;
    }

    /** Recomputes every cluster path from the membership seen so far; logs and reports what changed. */
    private Behavior<Command> updateClusterPaths() {
        boolean changed = false;
        for (ServerConfig peer : peers) {
            CommPathState now = isAlive(peer) ? CommPathState.ALIVE : CommPathState.DEAD;
            Optional<Change> change = table.set(peer.name(), null, now, !departing);
            change.ifPresent(this::report);
            changed |= change.isPresent();
        }
        if (changed) {
            publish();
        }
        return this;
    }

    /** The lines a path change calls for: the path in the LCM log, the server in the main log. */
    private void report(Change c) {
        PathTable.Path path = c.path();
        String peer = path.peer();
        if (path.state() == CommPathState.DEAD && departing) {
            return; // we left, the path did not fail
        }
        if (path.state() == CommPathState.DEAD) {
            log.commPathFailed(peer, path.localAddress(), path.remoteAddress());
        } else {
            log.commPathRestored(peer, path.localAddress(), path.remoteAddress());
        }
        if (c.serverDied()) {
            withoutRedundancy.remove(peer);
            if (leftInOrder.contains(peer)) {
                log.machineLeft(peer);
            } else {
                log.machineFailure(peer, c.total());
            }
        } else if (c.serverCameAlive()) {
            log.machineAlive(peer);
        } else if (c.aliveAfter() == 1 && c.aliveBefore() > 1) {
            withoutRedundancy.add(peer);
            log.noRedundantPath(peer, table.alivePaths(peer).get(0).addresses());
        } else if (c.aliveAfter() > 1 && withoutRedundancy.remove(peer)) {
            log.redundantPathsAgain(peer, c.aliveAfter(), c.total());
        }
    }

    private void publish() {
        board.tell(new StatusBoard.CommPathsChanged(table.statuses()));
        downing.tell(new DowningRule.ServersChanged(table.serverStates()));
    }

    private boolean isAlive(ServerConfig peer) {
        Long life = heartbeating.get(peer.name());
        return life != null && members.values().stream().anyMatch(m -> at(m.address(), peer)
                && ALIVE_STATUSES.contains(m.status()) && !unreachable.contains(m.uniqueAddress())
                && PekkoSettings.life(m.getRoles()) == life);
    }

    private Optional<ServerConfig> peerAt(Address address) {
        return peers.stream().filter(p -> at(address, p)).findFirst();
    }

    /** True when {@code address} is the cluster address of {@code server}. */
    public static boolean at(Address address, ServerConfig server) {
        return address.getHost().map(server.host()::equals).orElse(false)
                && address.getPort().map(p -> p == server.port()).orElse(false);
    }
}
