package dev.vigil.daemon.hierarchy;

import dev.vigil.core.ResourceState;
import dev.vigil.core.config.ActionTimeouts;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.ResourceConfig;
import dev.vigil.core.status.ActionOutcome;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.daemon.hierarchy.HierarchySupervisor.Command;
import dev.vigil.daemon.hierarchy.HierarchySupervisor.StepDone;
import dev.vigil.daemon.hierarchy.HierarchySupervisor.StepRetry;
import dev.vigil.kits.Failure;
import dev.vigil.kits.FailureKind;
import dev.vigil.daemon.notify.OperatorLog;
import dev.vigil.kits.KitEvent;
import dev.vigil.kits.RecoveryKit;
import dev.vigil.kits.Presence;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;

/**
 * The mechanics under {@link HierarchySupervisor}, kept apart so that the supervisor reads as its
 * decisions (when to restore, remove, recover, escalate): the resource actors and the last known
 * status of each; one operation at a time, each a sequence of steps (one request to one
 * {@link ResourceActor}, asked with its kit timeout plus a margin), everything else waiting in a
 * stash meanwhile; how a whole hierarchy is restored (bottom-up, undoing on failure) and removed
 * (top-down); and the answer to an operator's action.
 */
final class StepRunner {
    /** What an operation does once its steps are done, with their outcomes in order. */
    interface Then {
        Behavior<Command> after(List<ResourceActor.Outcome> outcomes);
    }

    /**
     * One request to one resource, answered with an {@link ResourceActor.Outcome} within {@code timeout};
     * {@code withPrevious}: sent together with the step before it (resources that do not depend on
     * each other are restored at the same time), the next one waiting for both answers.
     */
    record Step(String tag, Function<ActorRef<ResourceActor.Outcome>, ResourceActor.Command> request, Duration timeout,
                boolean starts, boolean withPrevious) {
        Step(String tag, Function<ActorRef<ResourceActor.Outcome>, ResourceActor.Command> request, Duration timeout,
             boolean starts) {
            this(tag, request, timeout, starts, false);
        }

        Step together() {
            return new Step(tag, request, timeout, starts, true);
        }
    }

    /** Beyond the kit's own time limit, for the actor's messages. */
    private static final Duration MARGIN = Duration.ofSeconds(10);
    /**
     * How long a step that starts something waits for a fresh proof of entitlement when the last
     * one has merely aged (the daemon was held up), asking again every {@link #PROOF_POLL}.
     */
    static final Duration PROOF_PATIENCE = Duration.ofSeconds(5);
    static final Duration PROOF_POLL = Duration.ofMillis(50);

    private final ActorContext<Command> ctx;
    private final StashBuffer<Command> stash;
    private final HierarchyConfig hierarchy;
    private final String server;
    private final OperatorLog log;
    private final Map<String, ActorRef<ResourceActor.Command>> resources = new LinkedHashMap<>();
    private final Map<String, ResourceStatus> states = new LinkedHashMap<>();
    private Behavior<Command> owner;
    /** What the running operation is, for the logs; {@code null} while idle. */
    private String current;
    private final Deque<Step> pending = new ArrayDeque<>();
    private final List<ResourceActor.Outcome> outcomes = new ArrayList<>();
    /** Answers still awaited from the steps sent together. */
    private int inFlight;
    /** Whether a step of those sent together failed. */
    private boolean batchFailed;
    private boolean stopAtFailure;
    private Then then;
    /** Asked before every step that starts something: empty = go on, else why this server may not (stale owner). */
    private Supplier<Optional<String>> mayStart = Optional::empty;
    /** True when the refusal of {@link #mayStart} is only an aged proof that a next round may renew. */
    private BooleanSupplier merelyStale = () -> false;
    private Runnable changed = () -> { };

    StepRunner(ActorContext<Command> ctx, StashBuffer<Command> stash, HierarchyConfig hierarchy, String server,
               OperatorLog log) {
        this.ctx = ctx;
        this.log = log;
        this.stash = stash;
        this.hierarchy = hierarchy;
        this.server = server;
    }

    /**
     * The ownership check made before every step that starts a resource (see {@link #mayStart}),
     * and whether a refusal is merely an aged proof, worth waiting {@link #PROOF_PATIENCE} for.
     */
    void gate(Supplier<Optional<String>> check, BooleanSupplier merelyStale) {
        this.mayStart = check;
        this.merelyStale = merelyStale;
    }

    /** Spawns the actor of every resource, dependencies first; one that throws (a bug) is resumed in its state. */
    void spawnResources(Function<ResourceConfig, RecoveryKit> kits, Executor executor) {
        for (ResourceConfig r : hierarchy.restoreOrder()) {
            resources.put(r.tag(), ctx.spawn(Behaviors.supervise(ResourceActor.create(r, kits.apply(r),
                    executor, ctx.getSelf(), log)).onFailure(SupervisorStrategy.resume()),
                    HierarchySupervisor.actorName("resource-", r.tag())));
            states.put(r.tag(), new ResourceStatus(ResourceState.ILLSTATE, "not yet initialised"));
        }
    }

    /** Suspends ({@code false}) or resumes the checks of every resource (maintenance mode). */
    void monitoring(boolean on) {
        resources.values().forEach(r -> r.tell(new ResourceActor.Monitoring(on)));
    }

    /** Asks every resource whether it runs here (changing nothing); each answer arrives as {@code answer(tag, presence)}. */
    void probeAll(BiFunction<String, Presence, Command> answer) {
        for (ResourceConfig r : hierarchy.restoreOrder()) {
            ctx.ask(Presence.class, resources.get(r.tag()), r.policy().timeouts().quickCheck().plus(MARGIN),
                    ResourceActor.Probe::new, (presence, error) -> answer.apply(r.tag(),
                            presence == null ? Presence.FAILED : presence));
        }
    }

    /** The supervisor, the behavior the stash is unstashed into. */
    void owner(Behavior<Command> supervisor) {
        this.owner = supervisor;
    }

    // ---- one operation at a time ----

    void begin(String what) {
        current = what;
        changed.run();
    }

    boolean busy() {
        return current != null;
    }

    /** Handles {@code msg} now when no operation runs, else keeps it for when the current one is done. */
    Behavior<Command> whenIdle(Command msg, Supplier<Behavior<Command>> handle) {
        if (busy()) {
            ctx.getLog().debug("{} waits for the end of: {}", msg, current);
            stash.stash(msg);
            return Behaviors.same();
        }
        return handle.get();
    }

    /** Run whenever an operation begins or ends (the supervisor reports what the hierarchy does now). */
    void onChange(Runnable hook) {
        this.changed = hook;
    }

    /** The operation is over: what waited meanwhile is handled now. */
    Behavior<Command> finish() {
        current = null;
        changed.run();
        return stash.unstashAll(owner);
    }

    /** Runs {@code steps} one after the other, then {@code then}; with {@code stopAtFailure} the first failure ends them. */
    Behavior<Command> run(List<Step> steps, boolean stopAtFailure, Then then) {
        pending.clear();
        pending.addAll(steps);
        outcomes.clear();
        inFlight = 0;
        batchFailed = false;
        this.stopAtFailure = stopAtFailure;
        this.then = then;
        return next();
    }

    Behavior<Command> onStepDone(StepDone done) {
        note(done.outcome().tag(), done.outcome().status());
        outcomes.add(done.outcome());
        batchFailed |= !done.outcome().succeeded();
        inFlight--;
        return inFlight > 0 ? Behaviors.same() : next();
    }

    private Behavior<Command> next() {
        if (pending.isEmpty() || (stopAtFailure && batchFailed)) {
            Then t = then;
            List<ResourceActor.Outcome> all = List.copyOf(outcomes);
            pending.clear();
            then = null;
            return t.after(all);
        }
        batchFailed = false;
        List<Step> batch = new ArrayList<>(List.of(pending.poll()));
        while (!pending.isEmpty() && pending.peek().withPrevious()) {
            batch.add(pending.poll());
        }
        inFlight = batch.size();
        batch.forEach(this::send);
        return Behaviors.same();
    }

    private void send(Step step) {
        send(step, System.nanoTime(), true);
    }

    /** A step held back for a fresh proof: sent now if there is one, else held again or refused. */
    Behavior<Command> onStepRetry(StepRetry retry) {
        send(retry.step(), retry.sinceNanos(), false);
        return Behaviors.same();
    }

    private void send(Step step, long heldSince, boolean first) {
        Optional<String> refused = step.starts() ? mayStart.get() : Optional.empty();
        if (refused.isPresent() && merelyStale.getAsBoolean()
                && System.nanoTime() - heldSince < PROOF_PATIENCE.toNanos()) {
            if (first) {
                log.waitingForProof(hierarchy.tag(), step.tag(), refused.get(), PROOF_PATIENCE);
            }
            ctx.scheduleOnce(PROOF_POLL, ctx.getSelf(), new StepRetry(step, heldSince));
            return;
        }
        if (refused.isPresent()) {
            ctx.getSelf().tell(new StepDone(new ResourceActor.Outcome(step.tag(), status(step.tag()),
                    Optional.of(new Failure(FailureKind.NOT_AVAILABLE_HERE, refused.get())))));
            return;
        }
        ctx.ask(ResourceActor.Outcome.class, resources.get(step.tag()), step.timeout(), step.request()::apply,
                (outcome, error) -> new StepDone(outcome != null ? outcome : new ResourceActor.Outcome(step.tag(),
                        status(step.tag()), Optional.of(new Failure(FailureKind.TIMED_OUT, "resource \"" + step.tag()
                        + "\" did not answer within " + step.timeout().toSeconds() + " s")))));
    }

    // ---- whole-hierarchy operations: the how; the supervisor decides when ----

    /**
     * Bottom-up, resources that do not depend on each other at the same time (the address while the
     * disk is mounted); the first failure stops it, and what it had started is taken out of service
     * again; {@code onFailed} hears the failed resource's outcome before the operation ends.
     */
    Behavior<Command> restoreHierarchy(HierarchyAction action, String why, Consumer<ActionOutcome> reply,
                                       Consumer<ResourceActor.Outcome> onFailed) {
        return run(restoreSteps(), true, outcomes -> {
            Optional<ResourceActor.Outcome> failed = outcomes.stream().filter(o -> !o.succeeded()).findFirst();
            failed.ifPresent(onFailed);
            if (failed.isEmpty()) {
                log.hierarchyInService(hierarchy.tag(), why);
                reply.accept(outcome(action, true, "hierarchy \"" + hierarchy.tag() + "\" is in service on " + server));
                return finish();
            }
            String what = "restore of resource \"" + failed.get().tag() + "\" failed: "
                    + failed.get().failure().orElseThrow().reason();
            return run(hierarchy.removeOrder().stream().filter(r -> stateOf(r.tag()).inService())
                    .map(r -> remove(r.tag(), ResourceState.OSU, "out of service again: " + what)).toList(), false,
                    undone -> {
                        String message = what + (undone.isEmpty() ? ""
                                : "; what had been started was taken out of service again");
                        log.hierarchyRestoreFailed(hierarchy.tag(), message);
                        reply.accept(outcome(action, false, message));
                        return finish();
                    });
        });
    }

    /** A restore step per resource not in service, dependencies first; one needing none of the batch before joins it. */
    private List<Step> restoreSteps() {
        List<Step> steps = new ArrayList<>();
        java.util.Set<String> batch = new java.util.HashSet<>();
        for (ResourceConfig r : hierarchy.restoreOrder()) {
            if (stateOf(r.tag()).inService()) {
                continue;
            }
            boolean independent = !batch.isEmpty() && r.dependsOn().stream().noneMatch(batch::contains);
            if (!independent) {
                batch.clear();
            }
            batch.add(r.tag());
            steps.add(independent ? restore(r.tag()).together() : restore(r.tag()));
        }
        return steps;
    }

    /** Top-down, every resource, going on after a failed remove; {@code failed}: the resource to leave OSF, and why. */
    Behavior<Command> removeHierarchy(String reason, Optional<Map.Entry<String, String>> failed, Then then) {
        return run(hierarchy.removeOrder().stream().map(r -> failed.filter(f -> f.getKey().equals(r.tag()))
                .map(f -> remove(r.tag(), ResourceState.OSF, f.getValue()))
                .orElseGet(() -> remove(r.tag(), ResourceState.OSU, reason))).toList(), false, then);
    }

    // ---- the steps ----

    Step restore(String tag) {
        ActionTimeouts t = timeouts(tag);
        return new Step(tag, ResourceActor.Restore::new, t.restore().plus(t.remove()).plus(MARGIN), true);
    }

    Step remove(String tag, ResourceState endState, String reason) {
        return new Step(tag, replyTo -> new ResourceActor.Remove(endState, reason, replyTo), timeouts(tag).remove().plus(MARGIN), false);
    }

    Step recover(String tag, KitEvent event) {
        return new Step(tag, replyTo -> new ResourceActor.Recover(event, replyTo), timeouts(tag).recover().plus(MARGIN), true);
    }

    /** A check out of turn ({@link ResourceActor.Check}); it starts nothing. */
    Step check(String tag) {
        return new Step(tag, ResourceActor.Check::new, timeouts(tag).quickCheck().plus(MARGIN), false);
    }

    Step adopt(String tag) {
        return new Step(tag, ResourceActor.Adopt::new, MARGIN, false);
    }

    private ActionTimeouts timeouts(String tag) {
        return hierarchy.resource(tag).orElseThrow().policy().timeouts();
    }

    // ---- the last known status of every resource ----

    void note(String tag, ResourceStatus status) {
        states.put(tag, status);
    }

    ResourceStatus status(String tag) {
        return states.get(tag);
    }

    ResourceState stateOf(String tag) {
        return states.get(tag).state();
    }

    boolean anyInService() {
        return states.values().stream().anyMatch(s -> s.state().inService());
    }

    /** The answer to an operator's action: what happened, and every resource's status now, root first. */
    ActionOutcome outcome(HierarchyAction action, boolean ok, String message) {
        List<ActionOutcome.Resource> all = hierarchy.displayTree().stream().map(e -> {
            ResourceStatus s = states.get(e.getKey().tag());
            return new ActionOutcome.Resource(e.getKey().tag(), s.state(), s.reason());
        }).toList();
        return new ActionOutcome(hierarchy.tag(), action.wireName(), server,
                ok, message, all);
    }

    /** The first failed remove of {@code outcomes}, in words. */
    static String firstFailure(List<ResourceActor.Outcome> outcomes) {
        return outcomes.stream().filter(o -> !o.succeeded()).findFirst()
                .map(o -> "remove of resource \"" + o.tag() + "\" failed: " + o.failure().orElseThrow().reason())
                .orElse("");
    }
}
