package dev.vigil.daemon.hierarchy;

import dev.vigil.core.ResourceState;
import dev.vigil.core.config.ResourceConfig;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.daemon.notify.OperatorLog;
import dev.vigil.kits.ActionResult;
import dev.vigil.kits.CheckResult;
import dev.vigil.kits.Failure;
import dev.vigil.kits.FailureKind;
import dev.vigil.kits.KitEvent;
import dev.vigil.kits.Presence;
import dev.vigil.kits.RecoveryKit;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.ReceiveBuilder;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One protected resource on this server, written as a state machine: one behavior per state,
 * each entered through a method, so the code reads like the diagram.
 *
 * <pre>
 * unknown (ILLSTATE) --Probe: STOPPED--> OSU;  --Adopt--> ISP;  --Remove--> removing
 * OSU/OSF --Restore--> restoring --ok--> ISP | --failed--> remove what it left --> OSF
 * ISP --timer or watch--> checking --healthy--> ISP | --failed--> suspect (tells the supervisor)
 * suspect (ISP) --Recover--> recovering --ok--> ISP | --failed--> suspect
 * any --Remove--> removing --> OSU or OSF (as the supervisor says) | --failed--> OSF
 * </pre>
 *
 * The resource decides nothing beyond its own transitions: restores, removals and recoveries are
 * asked for by its {@link HierarchySupervisor}, and a failed check is reported to it. Kit calls
 * block, so each runs on the blocking kit executor and comes back as a message; while one is in
 * flight every other request waits in a stash, so there is at most one kit call per resource.
 * Every transition is logged in the LCD log and reported to the supervisor.
 */
public final class ResourceActor {

    public sealed interface Command {
    }

    /** The resource's current state on this server and why. */
    public record GetStatus(ActorRef<ResourceStatus> replyTo) implements Command {
    }

    /** At start (ILLSTATE): is the resource running here? Changes nothing; STOPPED makes it OSU. */
    /**
     * Maintenance mode: {@code on} false suspends the checks (and the kit's watch), leaving the
     * resource exactly as it is; true resumes them, checking at once if the resource is in service.
     */
    public record Monitoring(boolean on) implements Command {
    }

    public record Probe(ActorRef<Presence> replyTo) implements Command {
    }

    /** Take a resource found running at start as in service, without restoring it. */
    public record Adopt(ActorRef<Outcome> replyTo) implements Command {
    }

    public record Restore(ActorRef<Outcome> replyTo) implements Command {
    }

    /** Take the resource out of service; on success it ends in {@code endState} (OSU or OSF) with {@code reason}. */
    public record Remove(ResourceState endState, String reason, ActorRef<Outcome> replyTo) implements Command {
    }

    /** One attempt at local recovery after the failed check that raised {@code event}. */
    public record Recover(KitEvent event, ActorRef<Outcome> replyTo) implements Command {
    }

    /**
     * A check asked for by the supervisor, out of turn: before it recovers a resource that depends on
     * this one, it wants to know whether this one failed underneath it. Answered with an
     * {@link Outcome} that carries the check's failure and event; a failure found this way goes only
     * into the answer (no {@link HierarchySupervisor.CheckFailed}), and the resource waits, suspect,
     * for the supervisor's decision. A resource already suspect answers with the failure it reported.
     */
    public record Check(ActorRef<Outcome> replyTo) implements Command {
    }

    /**
     * The answer to Adopt, Restore, Remove, Recover and Check: the status afterwards, and the failure
     * if it failed; for a failed check, also the kit's event.
     */
    public record Outcome(String tag, ResourceStatus status, Optional<Failure> failure, Optional<KitEvent> event) {
        public Outcome(String tag, ResourceStatus status, Optional<Failure> failure) {
            this(tag, status, failure, Optional.empty());
        }

        public boolean succeeded() {
            return failure.isEmpty();
        }
    }

    private record Probed(Presence presence, ActorRef<Presence> replyTo) implements Command {
    }

    private record Restored(ActionResult result, ActorRef<Outcome> replyTo) implements Command {
    }

    private record CleanedUp(Failure restoreFailure, ActionResult removal, ActorRef<Outcome> replyTo) implements Command {
    }

    private record Removed(ActionResult result, Remove request) implements Command {
    }

    private record Recovered(ActionResult result, Recover request) implements Command {
    }

    private record Checked(CheckResult result, Optional<CompletableFuture<String>> watch) implements Command {
    }

    private record CheckedFor(CheckResult result, Check request) implements Command {
    }

    private enum CheckDue implements Command {
        INSTANCE
    }

    private record WatchFired(CompletableFuture<String> watch, String what) implements Command {
    }

    static final String RESTORED = "restore action has succeeded";
    static final String ADOPTED = "adopted: already in service on this server";

    private final ResourceConfig resource;
    private final RecoveryKit kit;
    private final Executor executor;
    private final ActorRef<HierarchySupervisor.Command> supervisor;
    private final OperatorLog log;
    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final StashBuffer<Command> stash;
    private ResourceStatus status = new ResourceStatus(ResourceState.ILLSTATE, "not yet initialised");
    /** False in maintenance mode: no checks, no watch. */
    private boolean monitoring = true;
    /** The kit's early warning while in service, if any; cancelled when leaving ISP. */
    private CompletableFuture<String> watch;
    /** While suspect: the failed check's event and failure, for a {@link Check} asked meanwhile. */
    private Outcome suspicion;

    /**
     * @param executor the blocking dispatcher every kit call runs on
     */
    public static Behavior<Command> create(ResourceConfig resource, RecoveryKit kit, Executor executor,
                                           ActorRef<HierarchySupervisor.Command> supervisor, OperatorLog log) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> Behaviors.withStash(1000, stash ->
                new ResourceActor(resource, kit, executor, supervisor, log, ctx, timers, stash).unknown())));
    }

    private ResourceActor(ResourceConfig resource, RecoveryKit kit, Executor executor,
                          ActorRef<HierarchySupervisor.Command> supervisor, OperatorLog log, ActorContext<Command> ctx,
                          TimerScheduler<Command> timers, StashBuffer<Command> stash) {
        this.resource = resource;
        this.kit = kit;
        this.executor = executor;
        this.supervisor = supervisor;
        this.log = log;
        this.ctx = ctx;
        this.timers = timers;
        this.stash = stash;
    }

    // ---- ILLSTATE: nothing known yet ----

    private Behavior<Command> unknown() {
        return idle()
                .onMessage(Probe.class, msg -> {
                    runKit(kit::probe, p -> new Probed(p, msg.replyTo()), e -> Presence.FAILED);
                    return busy(ReceiveBuilder.<Command>create().onMessage(Probed.class, this::onProbed));
                })
                .onMessage(Adopt.class, msg -> {
                    log.actionSucceeded("probe", resource.tag(), "running here: adopted without restoring it");
                    return finish(enterInService(ADOPTED), msg.replyTo(), Optional.empty());
                })
                .onMessage(Restore.class, this::restoring)
                .onMessage(Remove.class, this::removing)
                .onMessage(Recover.class, msg -> refuse(msg.replyTo(), "it is not in service"))
                .onMessage(Check.class, msg -> refuse(msg.replyTo(), "it is not in service"))
                .onMessage(WatchFired.class, msg -> Behaviors.same())
                .build();
    }

    private Behavior<Command> onProbed(Probed msg) {
        msg.replyTo().tell(msg.presence());
        return stash.unstashAll(msg.presence() == Presence.STOPPED
                ? enterOutOfService(ResourceState.OSU, "out of service") : unknown());
    }

    // ---- OSU / OSF: out of service ----

    private Behavior<Command> enterOutOfService(ResourceState state, String reason) {
        timers.cancel(CheckDue.INSTANCE);
        cancelWatch();
        transition(state, reason);
        return outOfService();
    }

    private Behavior<Command> outOfService() {
        return idle()
                .onMessage(Restore.class, this::restoring)
                .onMessage(Remove.class, this::removing)
                .onMessage(Adopt.class, msg -> refuse(msg.replyTo(), "it is out of service"))
                .onMessage(Recover.class, msg -> refuse(msg.replyTo(), "it is out of service"))
                .onMessage(Check.class, msg -> refuse(msg.replyTo(), "it is out of service"))
                .onMessage(WatchFired.class, msg -> Behaviors.same())
                .build();
    }

    private Behavior<Command> restoring(Restore msg) {
        runKit(kit::restore, r -> new Restored(r, msg.replyTo()), e -> bug("restore", e));
        return busy(ReceiveBuilder.<Command>create().onMessage(Restored.class, this::onRestored));
    }

    private Behavior<Command> onRestored(Restored msg) {
        if (msg.result().succeeded()) {
            log.actionSucceeded("restore", resource.tag(), msg.result().message());
            return finish(enterInService(RESTORED), msg.replyTo(), Optional.empty());
        }
        Failure failure = msg.result().failure().orElseThrow();
        log.actionFailed("restore", resource.tag(), failure.kind().name(), failure.reason());
        // What the failed restore may have started (a half-started postmaster, an address) goes again.
        runKit(kit::remove, r -> new CleanedUp(failure, r, msg.replyTo()), e -> bug("remove", e));
        return busy(ReceiveBuilder.<Command>create().onMessage(CleanedUp.class, this::onCleanedUp));
    }

    private Behavior<Command> onCleanedUp(CleanedUp msg) {
        String reason = "restore failed: " + msg.restoreFailure().reason();
        if (!msg.removal().succeeded()) {
            log.actionFailed("remove", resource.tag(), msg.removal().kind().orElseThrow().name(), msg.removal().message());
            reason += "; removing what it left failed too: " + msg.removal().message();
        }
        return finish(enterOutOfService(ResourceState.OSF, reason), msg.replyTo(), Optional.of(msg.restoreFailure()));
    }

    // ---- ISP: in service, checked every check-interval and when the kit's watch fires ----

    /** In service: the first check runs at once (and arms the kit's watch), then every check-interval. */
    private Behavior<Command> enterInService(String reason) {
        transition(ResourceState.ISP, reason);
        timers.startSingleTimer(CheckDue.INSTANCE, Duration.ZERO);
        return inService();
    }

    private Behavior<Command> inService() {
        return idle()
                .onMessageEquals(CheckDue.INSTANCE, () -> monitoring ? checking() : Behaviors.same())
                .onMessage(WatchFired.class, msg -> {
                    if (msg.watch() != watch || !monitoring) {
                        return Behaviors.same();
                    }
                    watch = null;
                    log.watchFired(resource.tag(), msg.what());
                    timers.cancel(CheckDue.INSTANCE);
                    return checking();
                })
                .onMessage(Restore.class, msg -> answer(msg.replyTo()))
                .onMessage(Adopt.class, msg -> answer(msg.replyTo()))
                .onMessage(Recover.class, msg -> answer(msg.replyTo()))
                .onMessage(Check.class, msg -> monitoring ? checkingFor(msg) : answer(msg.replyTo()))
                .onMessage(Remove.class, this::removing)
                .build();
    }

    /** The supervisor's out-of-turn check: the periodic one goes on as before when it is healthy. */
    private Behavior<Command> checkingFor(Check msg) {
        runKit(kit::quickCheck, result -> new CheckedFor(result, msg), e -> CheckResult.failed(
                KitEvent.of(resource.type(), "check"), FailureKind.FAILED, "internal error in the kit's quickCheck: " + e));
        return busy(ReceiveBuilder.<Command>create().onMessage(CheckedFor.class, done -> {
            CheckResult r = done.result();
            if (r.isHealthy()) {
                return finish(inService(), done.request().replyTo(), Optional.empty());
            }
            timers.cancel(CheckDue.INSTANCE);
            suspectAfter(r);
            done.request().replyTo().tell(suspicion);
            return stash.unstashAll(suspect());
        }));
    }

    private Behavior<Command> checking() {
        boolean armWatch = watch == null || watch.isDone();
        runKit(() -> {
            CheckResult result = kit.quickCheck();
            return new Checked(result, result.isHealthy() && armWatch ? kit.watch() : Optional.empty());
        }, Function.identity(), e -> new Checked(CheckResult.failed(KitEvent.of(resource.type(), "check"),
                FailureKind.FAILED, "internal error in the kit's quickCheck: " + e), Optional.empty()));
        return busy(ReceiveBuilder.<Command>create().onMessage(Checked.class, this::onChecked));
    }

    private Behavior<Command> onChecked(Checked msg) {
        if (msg.result().isHealthy()) {
            msg.watch().ifPresent(w -> {
                watch = w;
                ctx.pipeToSelf(w, (what, error) -> new WatchFired(w, error == null ? what : "watch ended"));
            });
            timers.startSingleTimer(CheckDue.INSTANCE, resource.policy().checkInterval());
            return stash.unstashAll(inService());
        }
        suspectAfter(msg.result());
        supervisor.tell(new HierarchySupervisor.CheckFailed(resource.tag(), suspicion.event().orElseThrow(),
                suspicion.failure().orElseThrow(), System.nanoTime()));
        return stash.unstashAll(suspect());
    }

    /** A failed check: the watch ends, the failure is logged and kept as the {@link #suspicion}. */
    private void suspectAfter(CheckResult failed) {
        cancelWatch();
        KitEvent event = failed.event().orElseThrow();
        Failure failure = failed.failure().orElseThrow();
        log.checkFailed(resource.tag(), event.toString(), failure.kind().name(), failure.reason());
        suspicion = new Outcome(resource.tag(), status, Optional.of(failure), Optional.of(event));
    }

    // ---- ISP with a failed check: the supervisor decides (recover, or take it out of service) ----

    private Behavior<Command> suspect() {
        return idle()
                .onMessage(Recover.class, this::recovering)
                .onMessage(Remove.class, this::removing)
                .onMessage(Restore.class, msg -> refuse(msg.replyTo(), "its check failed; local recovery is pending"))
                .onMessage(Adopt.class, msg -> refuse(msg.replyTo(), "its check failed; local recovery is pending"))
                .onMessage(Check.class, msg -> {
                    msg.replyTo().tell(suspicion);
                    return Behaviors.same();
                })
                .onMessage(WatchFired.class, msg -> Behaviors.same())
                .build();
    }

    private Behavior<Command> recovering(Recover msg) {
        runKit(kit::recover, r -> new Recovered(r, msg), e -> bug("recover", e));
        return busy(ReceiveBuilder.<Command>create().onMessage(Recovered.class, done -> {
            if (done.result().succeeded()) {
                return finish(enterInService("in service again after local recovery from event \""
                        + done.request().event() + "\""), done.request().replyTo(), Optional.empty());
            }
            return finish(suspect(), done.request().replyTo(), done.result().failure());
        }));
    }

    // ---- removing: out of service, whatever the state before ----

    private Behavior<Command> removing(Remove msg) {
        timers.cancel(CheckDue.INSTANCE);
        cancelWatch();
        runKit(kit::remove, r -> new Removed(r, msg), e -> bug("remove", e));
        return busy(ReceiveBuilder.<Command>create().onMessage(Removed.class, done -> {
            ActionResult r = done.result();
            if (r.succeeded()) {
                log.actionSucceeded("remove", resource.tag(), r.message());
                return finish(enterOutOfService(done.request().endState(), done.request().reason()),
                        done.request().replyTo(), Optional.empty());
            }
            log.actionFailed("remove", resource.tag(), r.kind().orElseThrow().name(), r.message());
            return finish(enterOutOfService(ResourceState.OSF, "remove failed: " + r.message()), done.request().replyTo(),
                    r.failure());
        }));
    }

    // ---- shared pieces ----

    /** What every state answers at once: its status. */
    private ReceiveBuilder<Command> idle() {
        return ReceiveBuilder.<Command>create().onMessage(GetStatus.class, msg -> {
            msg.replyTo().tell(status);
            return Behaviors.same();
        }).onMessage(Monitoring.class, msg -> {
            boolean resume = msg.on() && !monitoring;
            monitoring = msg.on();
            if (!monitoring) {
                timers.cancel(CheckDue.INSTANCE);
                cancelWatch();
            } else if (resume && status.state() == ResourceState.ISP) {
                timers.startSingleTimer(CheckDue.INSTANCE, Duration.ZERO);
            }
            return Behaviors.same();
        });
    }

    /** While a kit call runs: its result (handled by {@code done}), the status, and everything else stashed. */
    private Behavior<Command> busy(ReceiveBuilder<Command> done) {
        return done.onMessage(GetStatus.class, msg -> {
                    msg.replyTo().tell(status);
                    return Behaviors.same();
                })
                .onMessageEquals(CheckDue.INSTANCE, Behaviors::same)
                .onAnyMessage(msg -> {
                    stash.stash(msg);
                    return Behaviors.same();
                })
                .build();
    }

    /** The end of a request: its answer (with the status now), then the requests that waited, in {@code next}. */
    private Behavior<Command> finish(Behavior<Command> next, ActorRef<Outcome> replyTo, Optional<Failure> failure) {
        replyTo.tell(new Outcome(resource.tag(), status, failure));
        return stash.unstashAll(next);
    }

    /** Runs a blocking kit call on the kit executor; its result (or a bug's) comes back as a message. */
    private <T> void runKit(Supplier<T> call, Function<T, Command> done, Function<Throwable, T> onBug) {
        ctx.pipeToSelf(CompletableFuture.supplyAsync(call, executor),
                (value, error) -> done.apply(error == null ? value : onBug.apply(error)));
    }

    private ActionResult bug(String action, Throwable e) {
        ctx.getLog().error("{} of {} threw: a bug in the kit", action, resource.tag(), e);
        return ActionResult.failed(FailureKind.FAILED, "internal error in the kit's " + action + ": " + e);
    }

    private Behavior<Command> answer(ActorRef<Outcome> replyTo) {
        replyTo.tell(new Outcome(resource.tag(), status, Optional.empty()));
        return Behaviors.same();
    }

    private Behavior<Command> refuse(ActorRef<Outcome> replyTo, String why) {
        replyTo.tell(new Outcome(resource.tag(), status, Optional.of(new Failure(FailureKind.FAILED,
                "resource \"" + resource.tag() + "\" is " + status.state() + ": " + why))));
        return Behaviors.same();
    }

    /** Ends the kit's watch; its (cancelled) result still arrives as a WatchFired, which only ISP acts on. */
    private void cancelWatch() {
        if (watch != null) {
            watch.cancel(false);
            watch = null;
        }
    }

    private void transition(ResourceState to, String reason) {
        ResourceState from = status.state();
        status = new ResourceStatus(to, reason);
        log.resourceStateChanged(resource.tag(), from, to, reason);
        supervisor.tell(new HierarchySupervisor.ResourceChanged(resource.tag(), status));
    }
}
