package dev.vigil.daemon.hierarchy;

import dev.vigil.core.ResourceState;
import dev.vigil.core.ResourceType;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.ResourceConfig;
import dev.vigil.core.status.ActionOutcome;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.daemon.cluster.StatusBoard;
import dev.vigil.daemon.notify.OperatorLog;
import dev.vigil.kits.Failure;
import dev.vigil.kits.FailureKind;
import dev.vigil.kits.KitEvent;
import dev.vigil.kits.KitOptions;
import dev.vigil.kits.Presence;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;

/**
 * One resource hierarchy on this server: one {@link ResourceActor} per resource, and every
 * decision about them. It brings the hierarchy in service bottom-up (a failed restore takes out
 * again what it had started) and out of service top-down; at start it adopts a hierarchy found
 * running or cleans up one found half running, then restores it automatically where
 * {@link StartupRestoreRule} allows; it carries out the operator's actions; and it is the
 * escalation path of a failure, read top to bottom:
 * <ol>
 * <li>a resource's check fails → {@link CheckFailed} arrives here;</li>
 * <li>{@link #localRecovery}: recover up to {@code local-recovery-attempts} times, logged in the
 *     manual's shapes — unless the failure is MISCONFIGURED or NOT_AVAILABLE_HERE, where
 *     recovering in place cannot help;</li>
 * <li>{@link #escalate}: the hierarchy leaves this server.</li>
 * </ol>
 * One operation runs at a time (it is a sequence of resource steps); whatever arrives meanwhile
 * waits in a stash. Every state change of a resource passes through here to the status board.
 */
public final class HierarchySupervisor extends AbstractBehavior<HierarchySupervisor.Command> {

    public sealed interface Command {
    }

    /** From a resource actor: its resource is now in {@code status}. */
    public record ResourceChanged(String tag, ResourceStatus status) implements Command {
    }

    /** From a resource actor: its check failed (it is still ISP, waiting for a decision). */
    public record CheckFailed(String tag, KitEvent event, Failure failure) implements Command {
    }

    /** An operator's action; {@code requestedTag} is the tag the operator named (any resource of the hierarchy). */
    public record PerformAction(HierarchyAction action, String requestedTag,
                                ActorRef<StatusReply<ActionOutcome>> replyTo) implements Command {
    }

    /** From the Guardian: this server is Up in the cluster; the automatic restore may be decided soon. */
    public enum ClusterJoined implements Command {
        INSTANCE
    }

    /** The daemon stops: no more recovery or actions; take the hierarchy out of service first if asked. */
    public record Shutdown(boolean takeOutOfService, ActorRef<Done> replyTo) implements Command {
    }

    /** A step of the running operation is done (see {@link StepRunner}). */
    record StepDone(ResourceActor.Outcome outcome) implements Command {
    }

    private record Probed(String tag, Presence presence) implements Command {
    }

    private enum StartupRestoreDue implements Command {
        INSTANCE
    }

    private record StatusForStartup(Optional<ClusterStatus> status) implements Command {
    }

    private record StatusForAction(PerformAction request, Optional<ClusterStatus> status) implements Command {
    }

    /** Why a hierarchy leaves this server: which resource failed, on which event, and how far recovery got. */
    record Escalation(String tag, KitEvent event, Failure failure, String how) {
    }

    /** How long after joining the cluster the automatic restore is decided: one status report round and a margin. */
    static final Duration STARTUP_SETTLE = StatusBoard.PUBLISH_INTERVAL.plusMillis(500);

    private final HierarchyConfig hierarchy;
    private final String self;
    private final ActorRef<StatusBoard.Command> board;
    private final OperatorLog log;
    private final TimerScheduler<Command> timers;
    private final StepRunner steps;
    private final Map<String, Presence> presences = new LinkedHashMap<>();
    private boolean joined;
    private boolean operatorRemoved;
    private boolean shuttingDown;

    /**
     * @param executor the blocking dispatcher the resources' kit calls run on
     */
    public static Behavior<Command> create(HierarchyConfig hierarchy, String self, KitOptions kitOptions, Executor executor,
                                           ActorRef<StatusBoard.Command> board, OperatorLog log) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> Behaviors.withStash(1000, stash ->
                new HierarchySupervisor(ctx, timers, stash, hierarchy, self, kitOptions, executor, board, log))));
    }

    private HierarchySupervisor(ActorContext<Command> ctx, TimerScheduler<Command> timers, StashBuffer<Command> stash,
                                HierarchyConfig hierarchy, String self, KitOptions kitOptions, Executor executor,
                                ActorRef<StatusBoard.Command> board, OperatorLog log) {
        super(ctx);
        this.steps = new StepRunner(ctx, stash, hierarchy, self, log);
        steps.owner(this);
        this.hierarchy = hierarchy;
        this.self = self;
        this.board = board;
        this.log = log;
        this.timers = timers;
        steps.spawnResources(kitOptions, executor);
        steps.begin("probing the resources at start");
        steps.probeAll(Probed::new);
    }

    /** Tags may hold characters actor names may not ({@code fs-/share}); URL-encoding keeps them readable. */
    public static String actorName(String prefix, String tag) {
        return prefix + URLEncoder.encode(tag, StandardCharsets.UTF_8);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(ResourceChanged.class, msg -> {
                    steps.note(msg.tag(), msg.status());
                    board.tell(new StatusBoard.ResourceChanged(msg.tag(), msg.status()));
                    return this;
                })
                .onMessage(StepDone.class, steps::onStepDone)
                .onMessage(Probed.class, this::onProbed)
                .onMessage(StatusForStartup.class, this::onStatusForStartup)
                .onMessage(StatusForAction.class, this::onStatusForAction)
                .onMessageEquals(ClusterJoined.INSTANCE, () -> {
                    if (!joined) {
                        joined = true;
                        timers.startSingleTimer(StartupRestoreDue.INSTANCE, STARTUP_SETTLE);
                    }
                    return this;
                })
                .onMessage(PerformAction.class, msg -> {
                    if (msg.action() == HierarchyAction.REMOVE) {
                        operatorRemoved = true; // at once: a recovery under way makes no further attempt
                    }
                    return steps.whenIdle(msg, () -> onPerformAction(msg));
                })
                .onMessage(Shutdown.class, msg -> {
                    shuttingDown = true;
                    return steps.whenIdle(msg, () -> onShutdown(msg));
                })
                .onMessage(CheckFailed.class, msg -> steps.whenIdle(msg, () -> onCheckFailed(msg)))
                .onMessageEquals(StartupRestoreDue.INSTANCE,
                        () -> steps.whenIdle(StartupRestoreDue.INSTANCE, this::onStartupRestoreDue))
                .build();
    }

    // ---- start: adopt what runs, clean up what half runs, then restore where the rule says so ----

    private Behavior<Command> onProbed(Probed msg) {
        presences.put(msg.tag(), msg.presence());
        if (presences.size() < hierarchy.resources().size()) {
            return this;
        }
        List<String> found = hierarchy.restoreOrder().stream().map(ResourceConfig::tag)
                .filter(t -> presences.get(t) != Presence.STOPPED)
                .map(t -> t + " " + presences.get(t).name().toLowerCase(Locale.ROOT)).toList();
        if (presences.values().stream().allMatch(p -> p == Presence.RUNNING)) {
            log.hierarchyAdopted(hierarchy.tag());
            return steps.run(hierarchy.restoreOrder().stream().map(r -> steps.adopt(r.tag())).toList(), false,
                    outcomes -> steps.finish());
        }
        if (found.isEmpty()) {
            return steps.finish();
        }
        log.hierarchyPartlyRunning(hierarchy.tag(), String.join(", ", found));
        return steps.run(hierarchy.removeOrder().stream().filter(r -> presences.get(r.tag()) != Presence.STOPPED)
                .map(r -> steps.remove(r.tag(), ResourceState.OSU, "out of service: was partly in service at start"))
                .toList(), false, outcomes -> steps.finish());
    }

    private Behavior<Command> onStartupRestoreDue() {
        if (shuttingDown || operatorRemoved || steps.anyInService()) {
            return this;
        }
        steps.begin("deciding the automatic restore");
        askBoard(StatusForStartup::new);
        return this;
    }

    private Behavior<Command> onStatusForStartup(StatusForStartup msg) {
        if (msg.status().isEmpty()) {
            log.automaticRestore(hierarchy.tag(), false, "the status board did not answer");
            return steps.finish();
        }
        StartupRestoreRule.Decision d = StartupRestoreRule.decide(hierarchy, self, msg.status().get());
        log.automaticRestore(hierarchy.tag(), d.restore(), d.reason());
        return d.restore() ? steps.restoreHierarchy(HierarchyAction.RESTORE, "automatic restore at start", outcome -> { }) : steps.finish();
    }

    // ---- the operator's actions ----

    private Behavior<Command> onPerformAction(PerformAction msg) {
        if (shuttingDown) {
            msg.replyTo().tell(StatusReply.error("Vigil is shutting down on server \"" + self + "\""));
            return this;
        }
        log.actionRequested(msg.action().wireName(), hierarchy.tag(), msg.requestedTag());
        steps.begin(msg.action().wireName() + " requested by the operator");
        if (msg.action() == HierarchyAction.REMOVE) {
            return steps.removeHierarchy("taken out of service by the operator (remove)", Optional.empty(), outcomes -> {
                boolean ok = outcomes.stream().allMatch(ResourceActor.Outcome::succeeded);
                String what = ok ? "hierarchy \"" + hierarchy.tag() + "\" is out of service on " + self
                        : "hierarchy \"" + hierarchy.tag() + "\" is not fully out of service on " + self + ": "
                        + StepRunner.firstFailure(outcomes);
                log.hierarchyOutOfService(hierarchy.tag(), ok ? "remove requested by the operator" : what);
                msg.replyTo().tell(StatusReply.success(steps.outcome(msg.action(), ok, what)));
                return steps.finish();
            });
        }
        askBoard(status -> new StatusForAction(msg, status));
        return this;
    }

    private Behavior<Command> onStatusForAction(StatusForAction msg) {
        PerformAction request = msg.request();
        Optional<String> refusal = msg.status().isEmpty()
                ? Optional.of("cannot tell whether another server has it in service: the status board did not answer")
                : Optional.of(StartupRestoreRule.inServiceElsewhere(hierarchy, self, msg.status().get()))
                        .filter(servers -> !servers.isEmpty())
                        .map(servers -> "hierarchy \"" + hierarchy.tag() + "\" is in service on " + String.join(", ", servers)
                                + "; take it out of service there first (perform_action -t " + hierarchy.tag()
                                + " -a remove on " + servers.get(0) + ")");
        if (refusal.isPresent()) {
            log.actionRefused(request.action().wireName(), hierarchy.tag(), refusal.get());
            request.replyTo().tell(StatusReply.error(refusal.get()));
            return steps.finish();
        }
        operatorRemoved = false;
        Consumer<ActionOutcome> reply = o -> request.replyTo().tell(StatusReply.success(o));
        if (request.action() == HierarchyAction.RESTORE) {
            return steps.restoreHierarchy(HierarchyAction.RESTORE, "restore requested by the operator", reply);
        }
        return steps.removeHierarchy("out of service for a restart requested by the operator", Optional.empty(), outcomes -> {
            if (outcomes.stream().allMatch(ResourceActor.Outcome::succeeded)) {
                return steps.restoreHierarchy(HierarchyAction.RESTART, "restart requested by the operator", reply);
            }
            reply.accept(steps.outcome(HierarchyAction.RESTART, false, "the restart stopped before the restore: "
                    + StepRunner.firstFailure(outcomes)));
            return steps.finish();
        });
    }

    // ---- the escalation path: failed check → local recovery → escalation ----

    private Behavior<Command> onCheckFailed(CheckFailed msg) {
        boolean current = steps.stateOf(msg.tag()).inService();
        if (shuttingDown || operatorRemoved || !current) {
            return this; // the hierarchy was taken out of service meanwhile: nothing left to recover
        }
        steps.begin("local recovery of " + msg.tag());
        return localRecovery(msg);
    }

    /** Step 2: repair the resource in place, up to its local-recovery-attempts, where repairing can help. */
    private Behavior<Command> localRecovery(CheckFailed failed) {
        ResourceConfig r = hierarchy.resource(failed.tag()).orElseThrow();
        KitEvent event = failed.event();
        log.recoveryStarting(event.eventClass(), event.name(), r.tag());
        log.failureEvent(r.tag(), r.id(), event.toString());
        FailureKind kind = failed.failure().kind();
        if (kind == FailureKind.MISCONFIGURED || kind == FailureKind.NOT_AVAILABLE_HERE) {
            String why = kind == FailureKind.MISCONFIGURED
                    ? "misconfigured (it fails the same on every server): " + failed.failure().reason()
                    : "not available on this server: " + failed.failure().reason();
            log.noLocalRecovery(r.tag(), event.toString(), why);
            return escalate(new Escalation(r.tag(), event, failed.failure(), "no local recovery: "
                    + kind.name().toLowerCase(Locale.ROOT).replace('_', ' ')));
        }
        int attempts = r.policy().localRecoveryAttempts();
        if (attempts == 0) {
            log.noLocalRecovery(r.tag(), event.toString(), "local-recovery-attempts is 0");
            return escalate(new Escalation(r.tag(), event, failed.failure(), "local recovery is off"));
        }
        return attemptRecovery(r, event, 1, attempts);
    }

    private Behavior<Command> attemptRecovery(ResourceConfig r, KitEvent event, int attempt, int attempts) {
        log.recoveryAttempt(r.tag(), event.toString());
        return steps.run(List.of(steps.recover(r.tag(), event)), true, outcomes -> {
            ResourceActor.Outcome o = outcomes.get(0);
            if (o.succeeded()) {
                log.recoverySucceeded(r.tag(), event.toString(), attempt, attempts);
                return steps.finish();
            }
            Failure f = o.failure().orElseThrow();
            log.recoveryAttemptFailed(r.tag(), attempt, attempts, f.reason());
            if (operatorRemoved || shuttingDown) {
                return steps.finish(); // the operator's remove, or the shutdown, waiting in the stash takes over
            }
            boolean hopeless = f.kind() == FailureKind.MISCONFIGURED || f.kind() == FailureKind.NOT_AVAILABLE_HERE;
            if (attempt < attempts && !hopeless) {
                return attemptRecovery(r, event, attempt + 1, attempts);
            }
            log.allRecoveryAttemptsFailed(r.tag(), r.type() == ResourceType.IP, event.eventClass(), event.name());
            return escalate(new Escalation(r.tag(), event, f, "local recovery failed after " + attempt
                    + (attempt == 1 ? " attempt" : " attempts")));
        });
    }

    /**
     * Step 3: local recovery cannot keep the hierarchy here. This is where failover to the next
     * server by priority takes over once cluster-wide placement exists; until then the hierarchy
     * is taken out of service here, top-down: the failed resource ends OSF with the kit's reason,
     * the others OSU, their reason naming the failed resource and its error.
     */
    private Behavior<Command> escalate(Escalation e) {
        String failure = "resource \"" + e.tag() + "\" failed after event \"" + e.event() + "\": " + e.failure().reason();
        log.hierarchyEscalated(hierarchy.tag(), failure + " (" + e.how() + ")");
        return steps.removeHierarchy("out of service: " + failure,
                Optional.of(Map.entry(e.tag(), e.failure().reason() + " (event \"" + e.event() + "\"; " + e.how() + ")")),
                outcomes -> steps.finish());
    }

    // ---- shutdown ----

    private Behavior<Command> onShutdown(Shutdown msg) {
        boolean somethingHere = hierarchy.resources().stream().map(r -> steps.stateOf(r.tag()))
                .anyMatch(s -> s.inService() || s == ResourceState.ILLSTATE);
        if (!msg.takeOutOfService() || !somethingHere) {
            msg.replyTo().tell(Done.getInstance());
            return this;
        }
        steps.begin("taking the hierarchy out of service before stopping");
        return steps.removeHierarchy("taken out of service: Vigil is stopping on this server", Optional.empty(), outcomes -> {
            log.hierarchyOutOfService(hierarchy.tag(), "Vigil is stopping");
            msg.replyTo().tell(Done.getInstance());
            return steps.finish();
        });
    }

    private void askBoard(Function<Optional<ClusterStatus>, Command> toMessage) {
        getContext().ask(ClusterStatus.class, board, Duration.ofSeconds(3), StatusBoard.GetStatus::new,
                (status, error) -> toMessage.apply(Optional.ofNullable(status)));
    }
}
