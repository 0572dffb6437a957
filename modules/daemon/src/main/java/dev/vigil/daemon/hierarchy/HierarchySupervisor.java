package dev.vigil.daemon.hierarchy;

import dev.vigil.core.ResourceState;
import dev.vigil.core.ResourceType;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.ResourceConfig;
import dev.vigil.core.status.ActionOutcome;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.placement.HierarchyReport;
import dev.vigil.daemon.cluster.HierarchyPlacement;
import dev.vigil.daemon.cluster.StatusBoard;
import dev.vigil.daemon.cluster.fencing.Fencing;
import dev.vigil.daemon.cluster.fencing.Ownership;
import dev.vigil.daemon.notify.OperatorLog;
import dev.vigil.kits.Failure;
import dev.vigil.kits.FailureKind;
import dev.vigil.kits.KitEvent;
import dev.vigil.kits.RecoveryKit;
import dev.vigil.kits.Presence;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.pattern.StatusReply;

/**
 * One resource hierarchy on this server: one {@link ResourceActor} per resource, and every local
 * decision about them. It brings the hierarchy in service bottom-up (a failed restore takes out
 * again what it had started) and out of service top-down; at start it adopts a hierarchy found
 * running or cleans up one found half running. Where the hierarchy should run is not its call: its
 * child {@link HierarchyPlacement} decides that cluster-wide and sends {@link Apply}; the
 * operator's actions go there too. It is the escalation path of a failure, read top to bottom:
 * <ol>
 * <li>a resource's check fails → {@link CheckFailed} arrives here;</li>
 * <li>{@link #localRecovery}: recover up to {@code local-recovery-attempts} times, logged in the
 *     manual's shapes — unless the failure is MISCONFIGURED or NOT_AVAILABLE_HERE, where
 *     recovering in place cannot help;</li>
 * <li>{@link #escalate}: the hierarchy is taken out of service here and reported FAILED; the
 *     placement then fails it over to the next server by priority.</li>
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

    /**
     * From a resource actor: its check failed (it is still ISP, waiting for a decision);
     * {@code checkedAtNanos} ({@link System#nanoTime}) tells a failure that a recovery has repaired
     * since (as the dependency of another resource) from a new one.
     */
    public record CheckFailed(String tag, KitEvent event, Failure failure, long checkedAtNanos) implements Command {
    }

    /** An operator's action; {@code requestedTag} is the tag the operator named (any resource of the hierarchy). */
    public record PerformAction(HierarchyAction action, String requestedTag,
                                ActorRef<StatusReply<ActionOutcome>> replyTo) implements Command {
    }

    /** From the Guardian: this server is Up in the cluster; the automatic restore may be decided soon. */
    public enum ClusterJoined implements Command {
        INSTANCE
    }

    /** The daemon stops ({@code shutdown} says how): no more recovery; the placement moves or stops the hierarchy. */
    public record Shutdown(dev.vigil.core.placement.Shutdown shutdown, ActorRef<Done> replyTo) implements Command {
    }

    /**
     * From the placement: restore, remove or restart the hierarchy here, as decided at
     * {@code generation} for {@code reason}; {@code replyTo} is the operator waiting for it, if any.
     */
    public record Apply(HierarchyAction action, long generation, String reason,
                        Optional<ActorRef<StatusReply<ActionOutcome>>> replyTo) implements Command {
    }

    /** From the placement: maintenance mode on (checks suspended, resources left as they are) or off (checks resume). */
    public record Maintenance(boolean on) implements Command {
    }

    /** An operator's maintenance on/off for this hierarchy, decided cluster-wide by the placement. */
    public record SetMaintenance(boolean on, ActorRef<StatusReply<String>> replyTo) implements Command {
    }

    /** A step of the running operation is done (see {@link StepRunner}). */
    record StepDone(ResourceActor.Outcome outcome) implements Command {
    }

    /** A step that starts something, held back until a fresh proof of entitlement (see {@link StepRunner}). */
    record StepRetry(StepRunner.Step step, long sinceNanos) implements Command {
    }

    private record Probed(String tag, Presence presence) implements Command {
    }

    /** Why a hierarchy leaves this server: which resource failed, on which event, and how far recovery got. */
    record Escalation(String tag, KitEvent event, Failure failure, String how) {
    }

    /** How long after joining the cluster the automatic restore is decided: one status report round and a margin. */
    public static final Duration STARTUP_SETTLE = StatusBoard.PUBLISH_INTERVAL.plusMillis(500);

    private final HierarchyConfig hierarchy;
    private final String self;
    private final ActorRef<StatusBoard.Command> board;
    private final OperatorLog log;
    private final StepRunner steps;
    private final ActorRef<HierarchyPlacement.Command> placement;
    private final Map<String, Presence> presences = new LinkedHashMap<>();
    private boolean shuttingDown;
    /** The operator asked for a remove, which waits behind a recovery under way: no further attempt. */
    private boolean removalRequested;
    /** Why the hierarchy failed here (set by an escalation, cleared by the next restore): reported FAILED. */
    private Optional<dev.vigil.core.placement.Failure> failedHere = Optional.empty();
    private HierarchyPlacement.Local lastLocal;
    /** When each resource was last repaired in place ({@link System#nanoTime}): a check failed before that is stale. */
    private final Map<String, Long> recoveredAt = new HashMap<>();

    /**
     * @param kits     the recovery kit of each resource (the real ones; in-memory ones in the failure simulations)
     * @param executor the blocking dispatcher the resources' kit calls run on
     * @param fencing  this server's fencing guard, armed while the hierarchy may run here
     */
    public static Behavior<Command> create(VigilConfig config, HierarchyConfig hierarchy,
                                           Function<ResourceConfig, RecoveryKit> kits, Executor executor,
                                           ActorRef<StatusBoard.Command> board, Fencing fencing, OperatorLog log) {
        return Behaviors.setup(ctx -> Behaviors.withStash(1000, stash ->
                new HierarchySupervisor(ctx, stash, config, hierarchy, kits, executor, board, fencing, log)));
    }

    private HierarchySupervisor(ActorContext<Command> ctx, StashBuffer<Command> stash, VigilConfig config,
                                HierarchyConfig hierarchy, Function<ResourceConfig, RecoveryKit> kits, Executor executor,
                                ActorRef<StatusBoard.Command> board, Fencing fencing, OperatorLog log) {
        super(ctx);
        this.self = config.serverName();
        this.steps = new StepRunner(ctx, stash, hierarchy, self, log);
        steps.owner(this);
        this.hierarchy = hierarchy;
        this.board = board;
        this.log = log;
        Ownership ownership = new Ownership();
        steps.gate(ownership::mayStart, ownership::merelyStale);
        steps.onChange(this::reportLocal);
        this.placement = ctx.spawn(HierarchyPlacement.create(config, hierarchy, board, ctx.getSelf(), fencing, ownership,
                log), "placement");
        steps.spawnResources(kits, executor);
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
                    reportLocal();
                    return this;
                })
                .onMessage(StepDone.class, msg -> {
                    Behavior<Command> next = steps.onStepDone(msg);
                    reportLocal();
                    return next;
                })
                .onMessage(StepRetry.class, steps::onStepRetry)
                .onMessage(Probed.class, this::onProbed)
                .onMessageEquals(ClusterJoined.INSTANCE, () -> {
                    placement.tell(HierarchyPlacement.Joined.INSTANCE);
                    return this;
                })
                .onMessage(PerformAction.class, msg -> {
                    removalRequested |= msg.action() == HierarchyAction.REMOVE;
                    placement.tell(new HierarchyPlacement.OperatorAction(msg.action(), msg.requestedTag(), msg.replyTo()));
                    return this;
                })
                .onMessage(Apply.class, msg -> steps.whenIdle(msg, () -> onApply(msg)))
                .onMessage(SetMaintenance.class, msg -> {
                    placement.tell(new HierarchyPlacement.SetMaintenance(msg.on(), msg.replyTo()));
                    return this;
                })
                .onMessage(Maintenance.class, msg -> {
                    steps.monitoring(!msg.on());
                    return this;
                })
                .onMessage(Shutdown.class, msg -> {
                    shuttingDown = true;
                    placement.tell(new HierarchyPlacement.Stop(msg.shutdown(), msg.replyTo()));
                    return this;
                })
                .onMessage(CheckFailed.class, msg -> steps.whenIdle(msg, () -> onCheckFailed(msg)))
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
                    outcomes -> done());
        }
        if (found.isEmpty()) {
            return done();
        }
        log.hierarchyPartlyRunning(hierarchy.tag(), String.join(", ", found));
        return steps.run(hierarchy.removeOrder().stream().filter(r -> presences.get(r.tag()) != Presence.STOPPED)
                .map(r -> steps.remove(r.tag(), ResourceState.OSU, "out of service: was partly in service at start"))
                .toList(), false, outcomes -> done());
    }

    // ---- what the placement decided ----

    private Behavior<Command> onApply(Apply msg) {
        String tag = hierarchy.tag();
        Consumer<ActionOutcome> reply = o -> msg.replyTo().ifPresent(r -> r.tell(StatusReply.success(o)));
        boolean anything = hierarchy.resources().stream().map(r -> steps.stateOf(r.tag()))
                .anyMatch(st -> st.inService() || st == ResourceState.ILLSTATE);
        boolean all = hierarchy.resources().stream().allMatch(r -> steps.stateOf(r.tag()) == ResourceState.ISP);
        switch (msg.action()) {
            case RESTORE -> {
                if (all) {
                    reply.accept(steps.outcome(HierarchyAction.RESTORE, true,
                            "hierarchy \"" + tag + "\" is in service on " + self));
                    return this;
                }
                failedHere = Optional.empty();
                steps.begin("restore: " + msg.reason());
                return steps.restoreHierarchy(HierarchyAction.RESTORE, msg.reason(), reply, this::restoreFailed);
            }
            case REMOVE -> {
                removalRequested = false;
                if (!anything) {
                    reply.accept(steps.outcome(HierarchyAction.REMOVE, true,
                            "hierarchy \"" + tag + "\" is out of service on " + self));
                    return this;
                }
                steps.begin("remove: " + msg.reason());
                return steps.removeHierarchy(msg.reason(), Optional.empty(), outcomes -> {
                    boolean ok = outcomes.stream().allMatch(ResourceActor.Outcome::succeeded);
                    String what = ok ? "hierarchy \"" + tag + "\" is out of service on " + self
                            : "hierarchy \"" + tag + "\" is not fully out of service on " + self + ": "
                            + StepRunner.firstFailure(outcomes);
                    log.hierarchyOutOfService(tag, ok ? msg.reason() : what);
                    reply.accept(steps.outcome(HierarchyAction.REMOVE, ok, what));
                    return done();
                });
            }
            case RESTART -> {
                steps.begin("restart requested by the operator");
                return steps.removeHierarchy("out of service for a restart requested by the operator", Optional.empty(),
                        outcomes -> {
                            if (outcomes.stream().allMatch(ResourceActor.Outcome::succeeded)) {
                                return steps.restoreHierarchy(HierarchyAction.RESTART, "restart requested by the operator",
                                        reply, this::restoreFailed);
                            }
                            reply.accept(steps.outcome(HierarchyAction.RESTART, false,
                                    "the restart stopped before the restore: " + StepRunner.firstFailure(outcomes)));
                            return done();
                        });
            }
            default -> throw new IllegalStateException("unknown action " + msg.action());
        }
    }

    /** Ends the operation (the placement hears what the hierarchy does here now). */
    private Behavior<Command> done() {
        return steps.finish();
    }

    /** What the hierarchy is doing here, for the placement (sent when it changes). */
    private void reportLocal() {
        boolean anything = hierarchy.resources().stream().map(r -> steps.stateOf(r.tag()))
                .anyMatch(st -> st.inService() || st == ResourceState.ILLSTATE);
        boolean all = hierarchy.resources().stream().allMatch(r -> steps.stateOf(r.tag()) == ResourceState.ISP);
        HierarchyReport report = all ? HierarchyReport.IN_SERVICE
                : anything ? HierarchyReport.STOPPING
                : failedHere.isPresent() ? HierarchyReport.FAILED : HierarchyReport.OUT_OF_SERVICE;
        HierarchyPlacement.Local now = new HierarchyPlacement.Local(report,
                report == HierarchyReport.FAILED ? failedHere : Optional.empty(), steps.busy(), anything, all);
        if (!now.equals(lastLocal)) {
            lastLocal = now;
            placement.tell(now);
        }
    }

    // ---- the escalation path: failed check → local recovery → escalation ----

    private Behavior<Command> onCheckFailed(CheckFailed msg) {
        boolean current = steps.stateOf(msg.tag()).inService();
        if (shuttingDown || !current) {
            return this; // the hierarchy was taken out of service meanwhile: nothing left to recover
        }
        Long repaired = recoveredAt.get(msg.tag());
        if (repaired != null && repaired - msg.checkedAtNanos() > 0) {
            return this; // recovered since, first, as what another failed resource depends on
        }
        steps.begin("local recovery of " + msg.tag());
        return dependenciesFirst(msg);
    }

    /**
     * Step 2a: a resource whose check fails may have failed because something it depends on failed
     * underneath it (PostgreSQL after its filesystem's disk went away). Before repairing it, every
     * resource below it is checked, out of turn; the first that fails, dependencies first, is the
     * cause: it is recovered first (or, when that fails, is the failure the hierarchy escalates
     * with), then the resource itself.
     */
    private Behavior<Command> dependenciesFirst(CheckFailed failed) {
        List<StepRunner.Step> checks = new ArrayList<>();
        for (ResourceConfig below : hierarchy.dependenciesOf(failed.tag())) {
            if (steps.stateOf(below.tag()) == ResourceState.ISP) {
                checks.add(checks.isEmpty() ? steps.check(below.tag()) : steps.check(below.tag()).together());
            }
        }
        if (checks.isEmpty()) {
            return localRecovery(failed, this::done);
        }
        return steps.run(checks, true, outcomes -> {
            if (shuttingDown || removalRequested) {
                return done(); // the operator's remove, or the shutdown's decision, waiting in the stash takes over
            }
            Optional<ResourceActor.Outcome> cause = outcomes.stream().filter(o -> !o.succeeded()).findFirst();
            if (cause.isEmpty()) {
                return localRecovery(failed, this::done);
            }
            ResourceActor.Outcome c = cause.get();
            Failure f = c.failure().orElseThrow();
            KitEvent event = c.event().orElseGet(() -> KitEvent.of(hierarchy.resource(c.tag()).orElseThrow().type(), "check"));
            log.dependencyFailedToo(failed.tag(), c.tag(), event.toString(), f.reason());
            return localRecovery(new CheckFailed(c.tag(), event, f, System.nanoTime()), () -> localRecovery(failed, this::done));
        });
    }

    /**
     * Step 2: repair the resource in place, up to its local-recovery-attempts, where repairing can
     * help; {@code then} once it is repaired (the operation ends, or the resource that depends on it
     * is repaired next).
     */
    private Behavior<Command> localRecovery(CheckFailed failed, Supplier<Behavior<Command>> then) {
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
        return attemptRecovery(r, event, 1, attempts, then);
    }

    private Behavior<Command> attemptRecovery(ResourceConfig r, KitEvent event, int attempt, int attempts,
                                              Supplier<Behavior<Command>> then) {
        log.recoveryAttempt(r.tag(), event.toString());
        return steps.run(List.of(steps.recover(r.tag(), event)), true, outcomes -> {
            ResourceActor.Outcome o = outcomes.get(0);
            if (o.succeeded()) {
                log.recoverySucceeded(r.tag(), event.toString(), attempt, attempts);
                recoveredAt.put(r.tag(), System.nanoTime());
                return then.get();
            }
            Failure f = o.failure().orElseThrow();
            log.recoveryAttemptFailed(r.tag(), attempt, attempts, f.reason());
            if (shuttingDown || removalRequested) {
                return done(); // the operator's remove, or the shutdown's decision, waiting in the stash takes over
            }
            boolean hopeless = f.kind() == FailureKind.MISCONFIGURED || f.kind() == FailureKind.NOT_AVAILABLE_HERE;
            if (attempt < attempts && !hopeless) {
                return attemptRecovery(r, event, attempt + 1, attempts, then);
            }
            log.allRecoveryAttemptsFailed(r.tag(), r.type() == ResourceType.IP, event.eventClass(), event.name());
            return escalate(new Escalation(r.tag(), event, f, "local recovery failed after " + attempt
                    + (attempt == 1 ? " attempt" : " attempts")));
        });
    }

    /**
     * Step 3: local recovery cannot keep the hierarchy here. It is taken out of service here,
     * top-down (the failed resource ends OSF with the kit's reason, the others OSU, their reason
     * naming the failed resource and its error) and reported FAILED with the failure's kind; the
     * placement fails it over to the next server by priority — or, for a misconfiguration that
     * would fail the same everywhere, leaves it out of service and says so.
     */
    private Behavior<Command> escalate(Escalation e) {
        String failure = "resource \"" + e.tag() + "\" failed after event \"" + e.event() + "\": " + e.failure().reason();
        log.hierarchyEscalated(hierarchy.tag(), failure + " (" + e.how() + ")");
        failedHere = Optional.of(new dev.vigil.core.placement.Failure(placementKind(e.failure().kind()),
                "resource " + e.tag() + ": " + e.failure().reason() + " (" + e.how() + ")"));
        return steps.removeHierarchy("out of service: " + failure,
                Optional.of(Map.entry(e.tag(), e.failure().reason() + " (event \"" + e.event() + "\"; " + e.how() + ")")),
                outcomes -> done());
    }

    /**
     * A failed restore is remembered like an exhausted recovery: the hierarchy reports FAILED here,
     * so the placement moves it to another server or leaves it out of service, instead of asking
     * this server to restore it again and again; an operator's restore here (or a restart) clears it.
     */
    private void restoreFailed(ResourceActor.Outcome failed) {
        Failure f = failed.failure().orElseThrow();
        failedHere = Optional.of(new dev.vigil.core.placement.Failure(placementKind(f.kind()),
                "resource " + failed.tag() + ": " + f.reason() + " (restore failed)"));
    }

    private static dev.vigil.core.placement.FailureKind placementKind(FailureKind kind) {
        return switch (kind) {
            case MISCONFIGURED -> dev.vigil.core.placement.FailureKind.MISCONFIGURED;
            case NOT_AVAILABLE_HERE -> dev.vigil.core.placement.FailureKind.NOT_AVAILABLE_HERE;
            case FAILED, TIMED_OUT -> dev.vigil.core.placement.FailureKind.FAILED;
        };
    }

}
