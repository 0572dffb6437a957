package dev.vigil.daemon;

import dev.vigil.core.config.FailureDetectorSettings;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.daemon.api.AdminApi;
import dev.vigil.daemon.cluster.ClusterFormation;
import dev.vigil.daemon.cluster.CommPathMonitor;
import dev.vigil.daemon.cluster.DowningRule;
import dev.vigil.daemon.cluster.ServerReport;
import dev.vigil.daemon.cluster.ShutdownStrategyFile;
import dev.vigil.daemon.cluster.StatusBoard;
import dev.vigil.daemon.hierarchy.HierarchySupervisor;
import dev.vigil.daemon.notify.Notifiers;
import dev.vigil.daemon.notify.OperatorLog;
import dev.vigil.daemon.notify.jmx.JmxView;
import dev.vigil.daemon.remote.RemoteCommand;
import dev.vigil.daemon.remote.RemoteExec;
import dev.vigil.core.placement.Shutdown;
import dev.vigil.kits.process.CommandRunner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * The root of one server's actor tree: how it comes into the cluster, the status board and its
 * pub-sub topic, the comm path monitor and the downing rule it feeds, remote execution, one
 * supervisor per hierarchy this server may run, and the admin API. It announces
 * "Vigil startup complete" once the admin API listens and this server has joined the cluster, or
 * once a join timeout has passed: a server alone must come up and answer status (its peers DEAD).
 * It tells the hierarchy supervisors when this server has joined (their automatic restore waits
 * for it), and has CoordinatedShutdown stop them: taking the hierarchies out of service, or
 * leaving them running, as the reason for the stop says. An admin API that cannot listen stops
 * the daemon, since the commands could not reach it.
 */
public final class Guardian extends AbstractBehavior<Guardian.Command> {

    public sealed interface Command {
    }

    /** The cluster status as this server knows it (what {@code GET /v1/status} returns). */
    public record GetStatus(ActorRef<ClusterStatus> replyTo) implements Command {
    }

    private record ApiBound(ServerBinding binding) implements Command {
    }

    private record ApiBindFailed(Throwable cause) implements Command {
    }

    private enum SelfUpSeen implements Command {
        INSTANCE
    }

    private enum JoinTimedOut implements Command {
        INSTANCE
    }

    private final VigilConfig config;
    private final OperatorLog log;
    private final boolean rejoining;
    private final ActorRef<StatusBoard.Command> board;
    private final Map<String, ActorRef<HierarchySupervisor.Command>> supervisors = new LinkedHashMap<>();
    private boolean bound;
    private boolean joined;
    private boolean waitedEnough;
    private boolean announced;

    /**
     * @param adminToken  the token commands must present to the admin API
     * @param incarnation when this actor system started (epoch ms); orders this server's reports
     * @param rejoining   true when this actor system replaces one that was downed
     * @param othersFirst true when this server joins the other servers before it may form the
     *                    cluster alone ({@link ClusterFormation#joinsOthersFirst})
     * @param notifiers   the daemon's traps and counters, told of events through the {@link OperatorLog}
     */
    public static Behavior<Command> create(VigilConfig config, Environment env, String adminToken, long incarnation,
                                           boolean rejoining, boolean othersFirst, Notifiers notifiers) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new Guardian(ctx, timers, config, env, adminToken, incarnation, rejoining, othersFirst, notifiers)));
    }

    /** How long to wait for this server to join before announcing startup anyway: twice the failure detector's bound. */
    static Duration joinTimeout(FailureDetectorSettings fd) {
        Duration twice = fd.heartbeatInterval().plus(fd.acceptableHeartbeatPause()).multipliedBy(2);
        return twice.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : twice;
    }

    private Guardian(ActorContext<Command> ctx, TimerScheduler<Command> timers, VigilConfig config, Environment env,
                     String adminToken, long incarnation, boolean rejoining, boolean othersFirst, Notifiers notifiers) {
        super(ctx);
        this.config = config;
        this.rejoining = rejoining;
        this.log = new OperatorLog(config.serverName(), notifiers.events());
        ctx.spawn(ClusterFormation.create(config, othersFirst, log), "cluster-formation");

        ActorRef<Topic.Command<ServerReport>> topic =
                ctx.spawn(Topic.create(ServerReport.class, StatusBoard.TOPIC_NAME), "status-topic");
        board = ctx.spawn(StatusBoard.create(config, incarnation, topic), "status-board");
        ActorRef<DowningRule.Command> downing = ctx.spawn(DowningRule.create(config, log), "downing");
        ActorRef<RemoteExec.Command> remoteExec = ctx.spawn(RemoteExec.create(config, new RemoteCommand(
                CommandRunner.local(), config.sources().get(0), RemoteCommand.daemonHome()), log), "remote-exec");
        ctx.spawn(CommPathMonitor.create(config, incarnation, board, downing, remoteExec, log), "comm-paths");
        Executor kitExecutor = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(PekkoSettings.KIT_DISPATCHER));
        for (HierarchyConfig h : config.localHierarchies()) {
            supervisors.put(h.tag(), ctx.spawn(HierarchySupervisor.create(config, h, env.kits(), kitExecutor,
                    board, env.fencing(), log), HierarchySupervisor.actorName("hierarchy-", h.tag())));
        }
        stopHierarchiesOnShutdown(ctx.getSystem());

        AdminApi api = new AdminApi(ctx.getSystem(), board, Map.copyOf(supervisors), remoteExec, config, adminToken,
                AdminApi.Limits.DEFAULT, log, notifiers.metrics());
        JmxView.registerWhenEnabled(ctx.getSystem(), config, board, Map.copyOf(supervisors), remoteExec, log,
                notifiers.metrics());
        ctx.pipeToSelf(api.bind(config.admin().port()),
                (binding, failure) -> failure == null ? new ApiBound(binding) : new ApiBindFailed(failure));
        Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
                ctx.messageAdapter(SelfUp.class, up -> SelfUpSeen.INSTANCE), SelfUp.class));
        timers.startSingleTimer(JoinTimedOut.INSTANCE, joinTimeout(config.cluster().failureDetector()));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(GetStatus.class, msg -> {
                    board.tell(new StatusBoard.GetStatus(msg.replyTo()));
                    return this;
                })
                .onMessage(ApiBound.class, msg -> {
                    bound = true;
                    return announceWhenReady();
                })
                .onMessage(ApiBindFailed.class, this::onApiBindFailed)
                .onMessageEquals(SelfUpSeen.INSTANCE, () -> {
                    joined = true;
                    supervisors.values().forEach(s -> s.tell(HierarchySupervisor.ClusterJoined.INSTANCE));
                    if (announced) {
                        log.joinedCluster(config.cluster().name());
                    }
                    return announceWhenReady();
                })
                .onMessageEquals(JoinTimedOut.INSTANCE, () -> {
                    waitedEnough = true;
                    return announceWhenReady();
                })
                .build();
    }

    /**
     * In the hierarchies phase of every stop, each supervisor takes its hierarchy out of service
     * (or leaves it running, see {@link StopReason#takesHierarchiesOutOfService}) before the
     * daemon leaves the cluster.
     */
    private void stopHierarchiesOnShutdown(ActorSystem<?> system) {
        CoordinatedShutdown cs = CoordinatedShutdown.get(system);
        Duration timeout = system.settings().config().getDuration("pekko.coordinated-shutdown.phases."
                + PekkoSettings.HIERARCHIES_PHASE + ".timeout");
        cs.addTask(PekkoSettings.HIERARCHIES_PHASE, "vigil-stop-hierarchies", () -> {
            Shutdown how = StopReason.shutdown(cs.getShutdownReason(), ShutdownStrategyFile.effective(config));
            CompletableFuture<?>[] stopped = supervisors.values().stream()
                    .map(s -> AskPattern.<HierarchySupervisor.Command, Done>ask(s,
                            replyTo -> new HierarchySupervisor.Shutdown(how, replyTo), timeout, system.scheduler())
                            .toCompletableFuture())
                    .toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(stopped).thenApply(v -> Done.getInstance());
        });
    }

    private Behavior<Command> announceWhenReady() {
        if (announced || !bound || !(joined || waitedEnough)) {
            return this;
        }
        announced = true;
        if (rejoining) {
            log.rejoined();
        } else {
            log.startupComplete();
        }
        if (!joined) {
            log.notJoinedYet(config.cluster().name());
        }
        return this;
    }

    private Behavior<Command> onApiBindFailed(ApiBindFailed msg) {
        String why = "the admin API cannot listen on 127.0.0.1:" + config.admin().port() + " ("
                + msg.cause().getMessage() + "); is another daemon running, or is admin.port taken?";
        log.startupFailed(why);
        CoordinatedShutdown.get(getContext().getSystem()).run(new StopReason.StartupFailed(why));
        return this;
    }
}
