package dev.vigil.daemon.cluster;

import dev.vigil.core.CommPathState;
import dev.vigil.core.ResourceState;
import dev.vigil.core.ServerState;
import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.placement.Claim;
import dev.vigil.core.placement.Shutdown;
import dev.vigil.core.config.ResourceConfig;
import dev.vigil.core.config.ServerConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.CommPathStatus;
import dev.vigil.core.status.HierarchyInfo;
import dev.vigil.core.status.PlacementStatus;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.core.status.ServerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The published status: this server's own report (its comm paths, its resource states, its
 * shutdown strategy) and the latest report of every other server, which it receives through a
 * cluster-wide pub-sub topic. It publishes its own report whenever something in it changes and
 * every {@link #PUBLISH_INTERVAL} anyway while anything the servers report has changed in the last
 * {@link #QUIET_AFTER} (a server that joins or rejoins, a comm path, a resource, a claim), so such a
 * server has everybody's state within a couple of seconds; once nothing has changed for that long,
 * every {@link #QUIET_PUBLISH_INTERVAL} (each publication crosses the network to every server, and
 * an idle cluster's CPU goes to such messages). A dead server's last report stays visible with its
 * old time.
 *
 * <p>Answers {@link GetStatus} with the {@link ClusterStatus} the admin API returns: every
 * configured server in configuration order, its state as seen from here (this server is always
 * ALIVE; another is ALIVE while this server's comm path to it is), plus its last report.
 */
public final class StatusBoard extends AbstractBehavior<StatusBoard.Command> {
    /** Name of the pub-sub topic that carries {@link ServerReport}s between servers. */
    public static final String TOPIC_NAME = "vigil-server-reports";
    /** How often the own report is published even when nothing changed, while things move. */
    public static final Duration PUBLISH_INTERVAL = Duration.ofSeconds(1);
    /** How often it is published once nothing has changed for {@link #QUIET_AFTER}. */
    public static final Duration QUIET_PUBLISH_INTERVAL = Duration.ofSeconds(5);
    /** How long after the last change the publications slow down to {@link #QUIET_PUBLISH_INTERVAL}. */
    public static final Duration QUIET_AFTER = Duration.ofSeconds(10);

    public sealed interface Command {
    }

    /** The whole cluster's status as this server knows it. */
    public record GetStatus(ActorRef<ClusterStatus> replyTo) implements Command {
    }

    /** From the comm path monitor: this server's paths to every peer, as they are now. */
    public record CommPathsChanged(List<CommPathStatus> commPaths) implements Command {
    }

    /** From a hierarchy supervisor: a resource on this server is now in {@code status}. */
    public record ResourceChanged(String tag, ResourceStatus status) implements Command {
    }

    /** From a hierarchy's placement: its claim (published) and the reason of its latest decision (shown). */
    public record ClaimChanged(String tag, Claim claim, PlacementStatus placement) implements Command {
    }

    /** From the placement: whether this server may run hierarchies now (quorum or disk lease). */
    public record EntitlementChanged(boolean entitled) implements Command {
    }

    /** This server is stopping, and how: published so that the others take over or leave things alone. */
    public record ShutdownStarted(Shutdown shutdown) implements Command {
    }

    /** Everything the placement decides from: the latest report of every server (this one's included) and their states. */
    public record GetReports(ActorRef<Reports> replyTo) implements Command {
    }

    /**
     * @param reports server → its latest report (absent: never reported)
     * @param states  server → ALIVE or DEAD as seen from here (this server is ALIVE)
     * @param paths   server → how many of its comm paths from here are ALIVE
     */
    public record Reports(Map<String, ServerReport> reports, Map<String, ServerState> states,
                          Map<String, Integer> paths) {
    }

    /**
     * From a hierarchy's placement: send it the {@link Reports} whenever something it decides from
     * changes (a peer's report other than its time stamp, this server's comm paths or resources),
     * so that it decides on events and not on a fast timer.
     */
    public record WatchReports(ActorRef<Reports> watcher) implements Command {
    }

    /** The administrator changed this server's shutdown strategy (already persisted in {@link ShutdownStrategyFile}). */
    public record SetShutdownStrategy(ShutdownStrategy strategy) implements Command {
    }

    private record ReportReceived(ServerReport report) implements Command {
    }

    private enum PublishTick implements Command {
        INSTANCE
    }

    private final VigilConfig config;
    private final String self;
    private final long incarnation;
    private final ActorRef<Topic.Command<ServerReport>> topic;
    private final List<HierarchyInfo> hierarchies;
    private final Map<String, ResourceStatus> ownResources = new LinkedHashMap<>();
    private final Map<String, ServerReport> peers = new HashMap<>();
    /** This server's comm paths: every configured one DEAD until the comm path monitor says otherwise. */
    private List<CommPathStatus> ownPaths;
    private final Map<String, Claim> ownClaims = new LinkedHashMap<>();
    private final Map<String, PlacementStatus> placements = new LinkedHashMap<>();
    private boolean entitled;
    private Optional<Shutdown> shutdown = Optional.empty();
    private ShutdownStrategy strategy;
    private long seq;
    private final List<ActorRef<Reports>> watchers = new java.util.ArrayList<>();
    private final TimerScheduler<Command> timers;
    private final long quietAfterNanos;
    private final Duration quietInterval;
    /** When something the servers report last changed (System.nanoTime). */
    private long changedAt;
    /** Publishing every {@link #quietInterval} (true) or every {@link #PUBLISH_INTERVAL}. */
    private boolean quiet;
    /** {@link #reports()} until the next message that is not a question. */
    private Reports cachedReports;

    /**
     * @param incarnation when this actor system started (epoch ms): orders this server's reports
     *                    after those of its earlier lives
     * @param topic       the {@link #TOPIC_NAME} topic of this actor system
     */
    public static Behavior<Command> create(VigilConfig config, long incarnation,
                                           ActorRef<Topic.Command<ServerReport>> topic) {
        return create(config, incarnation, topic, QUIET_AFTER, QUIET_PUBLISH_INTERVAL);
    }

    /** As {@link #create(VigilConfig, long, ActorRef)}, with the slower cadence's timings (for tests). */
    static Behavior<Command> create(VigilConfig config, long incarnation, ActorRef<Topic.Command<ServerReport>> topic,
                                    Duration quietAfter, Duration quietInterval) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startSingleTimer(PublishTick.INSTANCE, PUBLISH_INTERVAL);
            return new StatusBoard(ctx, config, incarnation, topic, timers, quietAfter, quietInterval);
        }));
    }

    private StatusBoard(ActorContext<Command> ctx, VigilConfig config, long incarnation,
                        ActorRef<Topic.Command<ServerReport>> topic, TimerScheduler<Command> timers,
                        Duration quietAfter, Duration quietInterval) {
        super(ctx);
        this.timers = timers;
        this.quietAfterNanos = quietAfter.toNanos();
        this.quietInterval = quietInterval;
        this.changedAt = System.nanoTime();
        this.config = config;
        this.ownPaths = new PathTable(config).statuses();
        this.self = config.serverName();
        this.incarnation = incarnation;
        this.topic = topic;
        this.hierarchies = config.hierarchies().stream().map(HierarchyInfo::of).toList();
        this.strategy = ShutdownStrategyFile.effective(config);
        for (HierarchyConfig h : config.hierarchies()) {
            if (h.priorities().containsKey(self)) {
                for (ResourceConfig r : h.restoreOrder()) {
                    ownResources.put(r.tag(), new ResourceStatus(ResourceState.ILLSTATE, "not yet initialised"));
                }
            }
        }
        topic.tell(Topic.subscribe(ctx.messageAdapter(ServerReport.class, ReportReceived::new)));
    }

    /**
     * Every message but a question may change what {@link #reports()} returns, so it drops the
     * cached copy: the placements ask ten times a second, while what they are told changes about
     * once a second (the periodic publications).
     */
    @Override
    public Receive<Command> createReceive() {
        Receive<Command> handlers = handlers();
        return new Receive<>() {
            @Override
            public Behavior<Command> receiveMessage(Command msg) throws Exception {
                if (!(msg instanceof GetReports || msg instanceof GetStatus)) {
                    cachedReports = null;
                }
                return handlers.receiveMessage(msg);
            }

            @Override
            public Behavior<Command> receiveSignal(Signal signal) throws Exception {
                return handlers.receiveSignal(signal);
            }
        };
    }

    private Receive<Command> handlers() {
        return newReceiveBuilder()
                .onMessage(GetStatus.class, this::onGetStatus)
                .onMessage(CommPathsChanged.class, this::onCommPathsChanged)
                .onMessage(ResourceChanged.class, this::onResourceChanged)
                .onMessage(ReportReceived.class, this::onReportReceived)
                .onMessage(ClaimChanged.class, msg -> {
                    placements.put(msg.tag(), msg.placement());
                    return msg.claim().equals(ownClaims.put(msg.tag(), msg.claim())) ? this : changed().publish();
                })
                .onMessage(EntitlementChanged.class, msg -> {
                    boolean changed = entitled != msg.entitled();
                    entitled = msg.entitled();
                    return changed ? changed().publish() : this;
                })
                .onMessage(ShutdownStarted.class, msg -> {
                    shutdown = Optional.of(msg.shutdown());
                    return changed().publish();
                })
                .onMessage(GetReports.class, this::onGetReports)
                .onMessage(WatchReports.class, msg -> {
                    watchers.add(msg.watcher());
                    msg.watcher().tell(reports());
                    return this;
                })
                .onMessage(SetShutdownStrategy.class, msg -> {
                    strategy = msg.strategy();
                    return changed().publish();
                })
                .onMessageEquals(PublishTick.INSTANCE, () -> {
                    quiet = System.nanoTime() - changedAt >= quietAfterNanos;
                    timers.startSingleTimer(PublishTick.INSTANCE, quiet ? quietInterval : PUBLISH_INTERVAL);
                    return publish();
                })
                .build();
    }

    /** Something the servers report changed: back to publishing every {@link #PUBLISH_INTERVAL} for a while. */
    private StatusBoard changed() {
        changedAt = System.nanoTime();
        if (quiet) {
            quiet = false;
            timers.startSingleTimer(PublishTick.INSTANCE, PUBLISH_INTERVAL);
        }
        return this;
    }

    private Behavior<Command> onCommPathsChanged(CommPathsChanged msg) {
        boolean changed = !ownPaths.equals(msg.commPaths());
        ownPaths = List.copyOf(msg.commPaths());
        if (changed) {
            changed();
        }
        publish();
        if (changed) {
            tellWatchers();
        }
        return this;
    }

    private Behavior<Command> onResourceChanged(ResourceChanged msg) {
        boolean changed = !msg.status().equals(ownResources.put(msg.tag(), msg.status()));
        if (changed) {
            changed();
        }
        publish();
        if (changed) {
            tellWatchers();
        }
        return this;
    }

    private void tellWatchers() {
        if (!watchers.isEmpty()) {
            Reports now = reports();
            watchers.forEach(w -> w.tell(now));
        }
    }

    /** The same reports, states and paths but for the reports' sequence numbers and times. */
    static boolean sameContent(Reports a, Reports b) {
        if (a == b) {
            return true;
        }
        if (b == null || !a.states().equals(b.states()) || !a.paths().equals(b.paths())
                || !a.reports().keySet().equals(b.reports().keySet())) {
            return false;
        }
        for (Map.Entry<String, ServerReport> e : a.reports().entrySet()) {
            if (!sameContent(e.getValue(), b.reports().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The same report but for its sequence number and time: what the periodic re-publication changes. */
    private static boolean sameContent(ServerReport a, ServerReport b) {
        return b != null && a.incarnation() == b.incarnation() && a.entitled() == b.entitled()
                && java.util.Objects.equals(a.shutdownStrategy(), b.shutdownStrategy()) && a.commPaths().equals(b.commPaths())
                && a.resources().equals(b.resources()) && a.shutdown().equals(b.shutdown())
                && a.claims().equals(b.claims());
    }

    private Behavior<Command> publish() {
        seq++;
        topic.tell(Topic.publish(ownReport()));
        return this;
    }

    private ServerReport ownReport() {
        return new ServerReport(self, incarnation, seq, Instant.now(), strategy, ownPaths,
                Collections.unmodifiableMap(new LinkedHashMap<>(ownResources)), entitled, shutdown,
                Collections.unmodifiableMap(new LinkedHashMap<>(ownClaims)));
    }

    private Behavior<Command> onReportReceived(ReportReceived msg) {
        ServerReport report = msg.report();
        if (report.server().equals(self)) {
            return this; // our own publication, delivered to us as to every subscriber
        }
        if (config.cluster().server(report.server()).isEmpty()) {
            getContext().getLog().warn("ignoring a status report from server \"{}\", which is not in cluster.servers "
                    + "of this server's configuration: the servers' configurations differ", report.server());
            return this;
        }
        ServerReport before = peers.get(report.server());
        if (report.newerThan(before)) {
            peers.put(report.server(), report);
            if (!sameContent(report, before)) {
                changed();
                tellWatchers();
            }
        }
        return this;
    }

    private Behavior<Command> onGetStatus(GetStatus msg) {
        List<ServerStatus> servers = config.cluster().servers().stream().map(this::serverStatus).toList();
        List<PlacementStatus> shown = config.hierarchies().stream().map(h -> Optional.ofNullable(placements.get(h.tag()))
                .or(() -> h.priorities().containsKey(self) ? Optional.empty() : placementOfOthers(h)))
                .flatMap(Optional::stream).toList();
        msg.replyTo().tell(new ClusterStatus(self, config.cluster().name(), Instant.now(), servers, hierarchies, shown));
        return this;
    }

    /**
     * The placement of a hierarchy this server does not run (a witness, or a server outside its
     * priorities), so that its status and the GUI on it still show the owner and maintenance
     * mode: the newest record the servers that run it published (the highest generation wins,
     * as in the placement itself).
     */
    private Optional<PlacementStatus> placementOfOthers(HierarchyConfig h) {
        Optional<ServerReport> best = peers.values().stream().filter(r -> r.claims().containsKey(h.tag()))
                .max(Comparator.comparing(r -> r.claim(h.tag()), Claim.order(h.priorities())));
        return best.map(r -> {
            Claim c = r.claim(h.tag());
            return new PlacementStatus(h.tag(), c.owner().owner().orElse(null), c.owner().generation(),
                    self + " does not run this hierarchy: the record of " + r.server() + ", which does",
                    c.maintenance());
        });
    }

    private Behavior<Command> onGetReports(GetReports msg) {
        msg.replyTo().tell(reports());
        return this;
    }

    private Reports reports() {
        if (cachedReports == null) {
            cachedReports = freshReports();
        }
        return cachedReports;
    }

    private Reports freshReports() {
        Map<String, ServerReport> reports = new HashMap<>(peers);
        reports.put(self, ownReport());
        Map<String, ServerState> states = new HashMap<>();
        Map<String, Integer> paths = new HashMap<>();
        for (ServerConfig server : config.cluster().servers()) {
            int alive = (int) ownPaths.stream()
                    .filter(p -> p.to().equals(server.name()) && p.state() == CommPathState.ALIVE).count();
            boolean me = server.name().equals(self);
            states.put(server.name(), me || alive > 0 ? ServerState.ALIVE : ServerState.DEAD);
            paths.put(server.name(), me ? config.cluster().servers().size() : alive);
        }
        return new Reports(Map.copyOf(reports), Map.copyOf(states), Map.copyOf(paths));
    }

    private ServerStatus serverStatus(ServerConfig server) {
        if (server.name().equals(self)) {
            ServerReport own = ownReport();
            return new ServerStatus(self, server.displayAddress(), ServerState.ALIVE, own.reportedAt(),
                    own.shutdownStrategy(), own.commPaths(), own.resources());
        }
        boolean reachable = ownPaths.stream()
                .anyMatch(p -> p.to().equals(server.name()) && p.state() == CommPathState.ALIVE);
        ServerState state = reachable ? ServerState.ALIVE : ServerState.DEAD;
        ServerReport last = peers.get(server.name());
        if (last == null) {
            return new ServerStatus(server.name(), server.displayAddress(), state, null, null, List.of(), Map.of());
        }
        return new ServerStatus(server.name(), server.displayAddress(), state, last.reportedAt(),
                last.shutdownStrategy(), last.commPaths(), last.resources());
    }
}
