package dev.vigil.daemon.cluster;

import dev.vigil.core.config.FencingSettings;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.placement.Claim;
import dev.vigil.core.placement.Decision;
import dev.vigil.core.placement.Failure;
import dev.vigil.core.placement.HierarchyReport;
import dev.vigil.core.placement.OwnerRecord;
import dev.vigil.core.placement.PlacementInput;
import dev.vigil.core.placement.PlacementPolicy;
import dev.vigil.core.placement.Shutdown;
import dev.vigil.core.placement.Step;
import dev.vigil.core.status.ActionOutcome;
import dev.vigil.core.status.PlacementStatus;
import dev.vigil.daemon.cluster.fencing.Fencing;
import dev.vigil.daemon.cluster.fencing.LeaseKeeper;
import dev.vigil.daemon.cluster.fencing.Ownership;
import dev.vigil.daemon.hierarchy.HierarchyAction;
import dev.vigil.daemon.hierarchy.HierarchySupervisor;
import dev.vigil.daemon.notify.OperatorLog;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;

/**
 * Where one hierarchy runs, decided and carried out from this server: every {@link #TICK} it reads
 * every server's latest report from the status board, merges the ownership claims (the highest
 * generation wins), runs the pure {@link PlacementPolicy} on what it sees, publishes its own claim,
 * and tells its {@link HierarchySupervisor} to restore or remove here. Safety does not rest on
 * every server deciding alike; it rests on three checks made here (docs/placement.md):
 * <ol>
 *   <li><b>entitlement</b>: a server restores only while it may run hierarchies — it sees a strict
 *       majority of the cluster's servers, or (with a lease device) it holds the hierarchy's disk
 *       lease; an owner that loses it takes the hierarchy out of service at once, and the fencing
 *       guard stops it anyway if the daemon cannot;</li>
 *   <li><b>two-phase moves</b>: the owner restores only when every other server surely runs nothing
 *       of it — it reports out of service, or it is DEAD and fenced (its lease taken over, or dead
 *       for longer than its guard needs to fence it);</li>
 *   <li><b>acknowledgement</b>: and only when every ALIVE server publishes the same ownership record
 *       and sees nobody else running it — two servers claiming at once cannot both restore.</li>
 * </ol>
 * The generation of the decision is checked again before every kit action that starts something
 * ({@link Ownership}), so a daemon that froze and wakes up never acts on a stale decision.
 */
public final class HierarchyPlacement extends AbstractBehavior<HierarchyPlacement.Command> {

    /**
     * How often placement is re-decided while anything is in motion (a server DEAD, a move, a
     * request, a stop, a restore or remove running here) and, without a lease device, while the
     * guard is armed here and must be fed. Besides, it is re-decided at once on every event: a
     * change in the reports or comm paths, the hierarchy's state here, the lease, an operator's action.
     */
    public static final Duration TICK = Duration.ofMillis(100);
    /** How often placement is re-decided anyway when nothing moves: every server ALIVE, nothing to do. */
    public static final Duration IDLE_TICK = Duration.ofSeconds(1);
    /**
     * How long the guard stays armed after arming with nothing running here yet. The round after
     * the one that told the supervisor to restore may come before the supervisor reported that it
     * started (its report is a later message): disarming then left the hierarchy to come up, and
     * run, with the guard disarmed. Besides, whatever runs here while this server owns the
     * hierarchy arms the guard (asking a guard that refuses again at most every ARM_GRACE, each
     * refusal a warning).
     */
    static final Duration ARM_GRACE = Duration.ofSeconds(5);
    /** How long a switchover or a stop may wait for the hierarchy to arrive where it goes. */
    static final Duration MOVE_LIMIT = Duration.ofSeconds(60);

    public sealed interface Command {
    }

    /** From the supervisor: what the hierarchy is doing on this server now. */
    public record Local(HierarchyReport report, Optional<Failure> failure, boolean busy, boolean anyRunning,
                        boolean allInService) implements Command {
    }

    /** From the supervisor: an operator's perform_action, to be decided cluster-wide. */
    public record OperatorAction(HierarchyAction action, String requestedTag,
                                 ActorRef<StatusReply<ActionOutcome>> replyTo) implements Command {
    }

    /**
     * Maintenance mode on or off for this hierarchy, cluster-wide: checks, local recovery and
     * placement decisions suspended; answered once recorded (a new generation).
     */
    public record SetMaintenance(boolean on, ActorRef<StatusReply<String>> replyTo) implements Command {
    }

    /** The daemon stops ({@code shutdown} says how); answered once the hierarchy is where the stop leaves it. */
    public record Stop(Shutdown shutdown, ActorRef<Done> replyTo) implements Command {
    }

    /** This server is Up in the cluster: decisions may start once the others' reports had time to arrive. */
    public enum Joined implements Command {
        INSTANCE
    }

    private enum Tick implements Command {
        INSTANCE
    }

    private enum Settled implements Command {
        INSTANCE
    }

    private record Facts(StatusBoard.Reports reports) implements Command {
    }

    private record LeaseHeard(LeaseKeeper.Event event) implements Command {
    }

    /** A switchover requested here, waiting to be in service here. */
    private record PendingRestore(ActorRef<StatusReply<ActionOutcome>> replyTo, long deadline) {
    }

    private final HierarchyConfig hierarchy;
    private final String self;
    private final int total;
    private final FencingSettings fencing;
    private final PlacementFacts facts;
    private final ActorRef<StatusBoard.Command> board;
    private final ActorRef<HierarchySupervisor.Command> supervisor;
    private final Fencing guard;
    private final Ownership ownership;
    private final Optional<LeaseKeeper> lease;
    private final OperatorLog log;
    private final TimerScheduler<Command> timers;

    private Local local = new Local(HierarchyReport.UNKNOWN, Optional.empty(), true, false, false);
    private Claim claim = Claim.unknown();
    private boolean settled;
    private boolean asking;
    private long askedAt;
    /** The timer runs at {@link #IDLE_TICK} (true) or {@link #TICK} (false). */
    private boolean steady;
    /**
     * Without a lease, armed here and otherwise steady at the last decision: the {@link #TICK}
     * rounds are there to feed the guard: for up to {@link #IDLE_TICK} after a full decision, and
     * while nothing else happens, they feed it on the last reports the board sent (it pushes every
     * change) without asking it again, and do not decide again.
     */
    private boolean onlyFeeding;
    /** The reports last received from the board, asked for or pushed. */
    private StatusBoard.Reports lastReports;
    /** The reports and the time of the last full decision; whether an event came since. */
    private StatusBoard.Reports decidedOn;
    private long decidedAt;
    private boolean eventSinceDecision = true;
    /** The entitlement last told to the status board. */
    private Boolean entitlementTold;
    private final ActorRef<StatusBoard.Reports> reportsTo;
    private boolean armed;
    /** When the guard was last asked to arm here (System.nanoTime). */
    private long armedAt = System.nanoTime() - ARM_GRACE.toNanos() - 1;
    /** The guard's list was refreshed since the hierarchy came in service (it names the postmaster then). */
    private boolean listedRunning;
    private boolean leaseHeld;
    private Optional<String> lostEntitlement = Optional.empty();
    private Optional<Shutdown> stopping = Optional.empty();
    private Optional<ActorRef<Done>> stopReply = Optional.empty();
    private long stopDeadline;
    /** Nothing of the hierarchy ran here, nor was it owned here, when the stop began: no switchover to wait for. */
    private boolean stopFoundNothing;
    private Optional<PendingRestore> pending = Optional.empty();
    private Optional<String> request = Optional.empty();
    /** Set by an operator's remove (true) or restore (false) until published in a new generation. */
    private Optional<Boolean> operatorRemoval = Optional.empty();
    /** Set by an operator's maintenance on/off until published in a new generation, and who waits for it. */
    private Optional<SetMaintenance> maintenanceRequest = Optional.empty();
    /** The DEAD server this server is taking the hierarchy over from (traps 121/122 when the restore ends). */
    private Optional<String> takingOverFrom = Optional.empty();
    /** The restore of that takeover has been seen running. */
    private boolean takeoverStarted;
    /** Whether the supervisor was last told that maintenance mode is on. */
    private boolean maintenanceTold;
    private String lastReason = "";
    private String lastWaiting = "";

    public static Behavior<Command> create(VigilConfig config, HierarchyConfig hierarchy,
                                           ActorRef<StatusBoard.Command> board,
                                           ActorRef<HierarchySupervisor.Command> supervisor, Fencing guard,
                                           Ownership ownership, OperatorLog log) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new HierarchyPlacement(ctx, timers, config, hierarchy, board, supervisor, guard, ownership, log)));
    }

    private HierarchyPlacement(ActorContext<Command> ctx, TimerScheduler<Command> timers, VigilConfig config,
                               HierarchyConfig hierarchy, ActorRef<StatusBoard.Command> board,
                               ActorRef<HierarchySupervisor.Command> supervisor, Fencing guard, Ownership ownership,
                               OperatorLog log) {
        super(ctx);
        this.hierarchy = hierarchy;
        this.self = config.serverName();
        this.total = config.cluster().servers().size();
        this.fencing = config.cluster().fencing();
        this.board = board;
        this.supervisor = supervisor;
        this.guard = guard;
        this.ownership = ownership;
        this.log = log;
        this.lease = fencing.leaseDevice().map(device -> new LeaseKeeper(device, config.cluster().name(), self,
                config.cluster().servers().indexOf(config.cluster().server(self).orElseThrow()), hierarchy.tag(),
                hierarchy.priorities().get(self), fencing.timings(), guard, ownership,
                ctx.messageAdapter(LeaseKeeper.Event.class, LeaseHeard::new)::tell));
        this.facts = new PlacementFacts(hierarchy, config.cluster(), self, fenceWait(config),
                server -> lease.map(l -> l.expiredHolders().contains(server)).orElse(false));
        this.timers = timers;
        this.reportsTo = ctx.messageAdapter(StatusBoard.Reports.class, Facts::new);
        timers.startTimerAtFixedRate(Tick.INSTANCE, TICK);
        board.tell(new StatusBoard.WatchReports(reportsTo));
    }

    /**
     * How long a peer must have been DEAD before this server counts it fenced (without a lease):
     * its own detector may notice the loss of its majority up to two heartbeats later than ours
     * notices it, then its guard fences within guard-timeout + fence-timeout; plus the margin.
     */
    static Duration fenceWait(VigilConfig config) {
        var t = config.cluster().fencing().timings();
        return config.cluster().failureDetector().heartbeatInterval().multipliedBy(2).plus(t.guardTimeout())
                .plus(t.fenceTimeout()).plus(t.safetyMargin());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Local.class, msg -> {
                    boolean changed = !msg.equals(local);
                    local = msg;
                    eventSinceDecision |= changed;
                    return changed ? onTick() : this;
                })
                .onMessageEquals(Joined.INSTANCE, () -> {
                    getContext().scheduleOnce(HierarchySupervisor.STARTUP_SETTLE, getContext().getSelf(),
                            Settled.INSTANCE);
                    return this;
                })
                .onMessageEquals(Settled.INSTANCE, () -> {
                    settled = true;
                    eventSinceDecision = true;
                    return onTick();
                })
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onMessage(Facts.class, this::onFacts)
                .onMessage(OperatorAction.class, msg -> {
                    eventSinceDecision = true;
                    onOperatorAction(msg);
                    return onTick();
                })
                .onMessage(SetMaintenance.class, msg -> {
                    eventSinceDecision = true;
                    maintenanceRequest.ifPresent(m -> m.replyTo().tell(StatusReply.error("superseded by a newer request")));
                    maintenanceRequest = Optional.of(msg);
                    return onTick();
                })
                .onMessage(Stop.class, msg -> {
                    eventSinceDecision = true;
                    onStop(msg);
                    return onTick();
                })
                .onMessage(LeaseHeard.class, this::onLease)
                .onSignal(PostStop.class, s -> {
                    lease.ifPresent(LeaseKeeper::close);
                    return this;
                })
                .build();
    }

    private Behavior<Command> onTick() {
        long now = System.nanoTime();
        if (onlyFeeding && !eventSinceDecision && lastReports != null && now - decidedAt < IDLE_TICK.toNanos()) {
            // A round only to feed the guard: the board pushes every change of what it reports (WatchReports),
            // so the last reports received are still its own. Fed on them, without a round trip to the board.
            return decide(lastReports, now);
        }
        if (!asking || now - askedAt > Duration.ofSeconds(2).toNanos()) {
            asking = true;
            askedAt = now;
            board.tell(new StatusBoard.GetReports(reportsTo));
        }
        return this;
    }

    /**
     * Nothing moves: every server ALIVE and reporting, nothing requested, nothing running or
     * waiting to run here that is not simply in service, no stop, and no guard to feed from here.
     * The events re-decide at once; the timer only backs them up.
     */
    private boolean steady(Decision d, boolean newRecord) {
        return (fencing.leaseMode() || !armed) && steadyButFed(d, newRecord);
    }

    /** As {@link #steady}, but for the guard that must be fed from here without a lease. */
    private boolean steadyButFed(Decision d, boolean newRecord) {
        Step step = d.step(self);
        return settled && !newRecord && stopping.isEmpty() && pending.isEmpty() && request.isEmpty()
                && operatorRemoval.isEmpty() && maintenanceRequest.isEmpty() && lostEntitlement.isEmpty()
                && takingOverFrom.isEmpty() && !local.busy() && facts.allAliveAndReported()
                && (!armed || listedRunning)
                && (step == Step.NOTHING && !local.anyRunning() || step == Step.KEEP && local.allInService());
    }

    private void cadence(boolean nowSteady) {
        if (nowSteady != steady) {
            steady = nowSteady;
            // At a fixed rate: with Pekko's 100 ms tick a fixed delay would stretch 100 ms to 200-300 ms.
            timers.startTimerAtFixedRate(Tick.INSTANCE, steady ? IDLE_TICK : TICK);
        }
    }

    // ---- the decision ----

    private Behavior<Command> onFacts(Facts msg) {
        asking = false;
        if (msg.reports() == null) {
            return this;
        }
        lastReports = msg.reports();
        return decide(msg.reports(), System.nanoTime());
    }

    private Behavior<Command> decide(StatusBoard.Reports reports, long now) {
        facts.see(reports, now);
        boolean quorate = facts.quorate();
        boolean mayKeep = facts.mayKeepRunning(lease.map(LeaseKeeper::holds).orElse(false));
        if (!Boolean.valueOf(entitled(quorate)).equals(entitlementTold)) {
            entitlementTold = entitled(quorate);
            board.tell(new StatusBoard.EntitlementChanged(entitled(quorate)));
        }
        protect(mayKeep, now);
        if (!settled && stopping.isEmpty() && request.isEmpty() && operatorRemoval.isEmpty() && maintenanceRequest.isEmpty()
                && pending.isEmpty() && claim.owner().generation() == 0) {
            return this; // the others' reports (and their claims) may not have arrived yet
        }
        if (onlyFeeding && mayKeep && !eventSinceDecision && now - decidedAt < IDLE_TICK.toNanos()
                && StatusBoard.sameContent(reports, decidedOn)) {
            return this; // the guard is fed; the decision would be the last one again
        }
        decidedOn = reports;
        decidedAt = now;
        eventSinceDecision = false;
        Claim merged = facts.merged(claim);
        facts.trackRejoins(merged.owner());
        boolean maintenance = maintenanceRequest.map(SetMaintenance::on).orElse(merged.maintenance());
        PlacementInput input = new PlacementInput(hierarchy,
                facts.views(local, stopping, entitled(quorate), mayKeep, leaseHeld, merged.owner()), merged.owner(),
                request.map(s -> new dev.vigil.core.placement.SwitchoverRequest(s)), maintenance,
                operatorRemoval.orElse(merged.removedByOperator()), false);
        Decision d = PlacementPolicy.decide(input);
        lease.ifPresent(l -> l.successorOf(facts.successorOf(input)));
        boolean removed = operatorRemoval.orElse(merged.removedByOperator());
        boolean newRecord = d.ownerChanged() || operatorRemoval.isPresent() && removed != merged.removedByOperator()
                || maintenance != merged.maintenance();
        boolean mayRecord = entitled(quorate) && !facts.takingOverFromTheDeadTooEarly(d, merged.owner());
        if (!mayRecord) {
            newRecord = false;
            removed = merged.removedByOperator();
            maintenance = merged.maintenance();
        }
        long generation = !newRecord ? merged.owner().generation()
                : d.ownerChanged() ? d.generation() : d.generation() + 1;
        OwnerRecord record = newRecord ? new OwnerRecord(d.owner(), generation) : merged.owner();
        if (mayRecord || d.refusal().isPresent()) {
            request = Optional.empty();
            operatorRemoval = Optional.empty();
            answerMaintenance(maintenance);
        } else if (!entitled(quorate) && maintenanceRequest.isPresent()) {
            maintenanceRequest.get().replyTo().tell(StatusReply.error("server " + self + " cannot decide for the"
                    + " cluster now: it sees no majority of the " + total + " servers"));
            maintenanceRequest = Optional.empty();
        }
        if (d.refusal().isPresent()) {
            pending.ifPresent(p -> p.replyTo().tell(StatusReply.error(d.refusal().get())));
            pending = Optional.empty();
        }
        claim = new Claim(record, removed, published(), local.failure(), facts.clear(record, local), maintenance);
        board.tell(new StatusBoard.ClaimChanged(hierarchy.tag(), claim, new PlacementStatus(hierarchy.tag(),
                d.owner().orElse(null), generation, d.reason(), maintenance)));
        if (maintenance != maintenanceTold) {
            maintenanceTold = maintenance;
            log.maintenance(hierarchy.tag(), maintenance);
            supervisor.tell(new HierarchySupervisor.Maintenance(maintenance));
        }
        ownership.decided(record.owner().filter(self::equals).isPresent() && !removed, generation, d.reason());
        if (newRecord || !d.reason().equals(lastReason) && d.step(self) != Step.NOTHING) {
            log.placementDecided(hierarchy.tag(), d.owner().orElse("nowhere"), generation, d.reason());
        }
        lastReason = d.reason();
        act(d, record);
        finishStop();
        expirePending();
        cadence(steady(d, newRecord));
        onlyFeeding = !fencing.leaseMode() && armed && steadyButFed(d, newRecord);
        return this;
    }

    private boolean entitled(boolean quorate) {
        return fencing.leaseMode() || quorate;
    }

    /** Guard feeding without a lease (the lease keeper feeds with its renewals), and revocation at once. */
    private void protect(boolean mayKeep, long now) {
        if (fencing.leaseMode()) {
            return;
        }
        if (mayKeep) {
            ownership.proven(now, now + fencing.timings().guardTimeout().toNanos());
            if (armed) {
                guard.feed(hierarchy.tag(), now);
            }
            lostEntitlement = Optional.empty();
        } else {
            ownership.revoke("this server lost its quorum");
            if (lostEntitlement.isEmpty() && (local.anyRunning() || local.busy())) {
                lostEntitlement = Optional.of("this server no longer sees a majority of the " + total
                        + " servers, and the others may take it over");
            }
        }
    }

    /** What this server publishes it is doing with the hierarchy. */
    private HierarchyReport published() {
        if (local.busy() || local.anyRunning() && !local.allInService()) {
            return HierarchyReport.STOPPING;
        }
        return local.report();
    }

    // ---- carrying it out here ----

    private void act(Decision d, OwnerRecord record) {
        String tag = hierarchy.tag();
        takeoverStarted |= takingOverFrom.isPresent() && local.busy();
        if (takingOverFrom.isPresent() && takeoverStarted && !local.busy()) {
            List<String> tags = hierarchy.resources().stream().map(r -> r.tag()).toList();
            boolean ok = local.allInService();
            log.events().serverRecoveryComplete(takingOverFrom.get(), ok ? tags : List.of(), ok ? List.of() : tags);
            takingOverFrom = Optional.empty();
        }
        boolean ownerHere = d.owner().filter(self::equals).isPresent() && !claim.removedByOperator()
                && lostEntitlement.isEmpty();
        // The lease is held while this server is to run the hierarchy, and never let go while anything
        // of it runs or is being started or stopped here (a release would let another server start it).
        lease.ifPresent(l -> l.want(ownerHere && (d.step(self).runs() || waitingOnlyForFencing(d))
                || local.anyRunning() || local.busy()));
        if (local.busy()) {
            return;
        }
        if (stopping.filter(Shutdown::leavesRunning).isPresent()) {
            // lkstop -f: left running unprotected, as the operator asked, and published so (nobody takes it
            // over). The quorum this server loses as it leaves the cluster is its own doing, not a partition.
            return;
        }
        if (lostEntitlement.isPresent() && (local.anyRunning())) {
            // Even in maintenance mode: a server that may no longer run it must stop it before others may start it.
            log.selfFencing(tag, lostEntitlement.get());
            supervisor.tell(new HierarchySupervisor.Apply(HierarchyAction.REMOVE, record.generation(),
                    "out of service: " + lostEntitlement.get(), Optional.empty()));
            return;
        }
        if (claim.maintenance()) {
            return; // in maintenance mode: resources stay exactly as they are
        }
        if (ownerHere && local.anyRunning() && !armed && System.nanoTime() - armedAt > ARM_GRACE.toNanos()) {
            arm(); // never run it here unguarded (see ARM_GRACE); a guard that refuses is asked again every ARM_GRACE
        }
        Step step = d.step(self);
        if (step == Step.RESTORE && ownerHere) {
            Optional<String> wait = obstacle(record);
            if (wait.isPresent()) {
                waiting(wait.get());
                return;
            }
            takingOverFrom = facts.deadPreviousOwner(record);
            takeoverStarted = false;
            arm();
            supervisor.tell(new HierarchySupervisor.Apply(HierarchyAction.RESTORE, record.generation(), d.reason(),
                    pending.map(PendingRestore::replyTo)));
            pending = Optional.empty();
            return;
        }
        if (step == Step.KEEP && ownerHere && !local.allInService()) {
            arm();
            supervisor.tell(new HierarchySupervisor.Apply(HierarchyAction.RESTORE, record.generation(), d.reason(),
                    pending.map(PendingRestore::replyTo)));
            pending = Optional.empty();
            return;
        }
        if (step == Step.KEEP && armed && !listedRunning && local.allInService()) {
            listedRunning = guard.refresh(tag, ownership.anchor());
        }
        if (step == Step.KEEP && pending.isPresent()) {
            supervisor.tell(new HierarchySupervisor.Apply(HierarchyAction.RESTORE, record.generation(), d.reason(),
                    pending.map(PendingRestore::replyTo)));
            pending = Optional.empty();
        }
        if (local.anyRunning() && !(ownerHere && step.runs())) {
            supervisor.tell(new HierarchySupervisor.Apply(HierarchyAction.REMOVE, record.generation(),
                    "out of service: " + d.reason(), Optional.empty()));
            return;
        }
        if (!local.anyRunning() && armed && System.nanoTime() - armedAt > ARM_GRACE.toNanos()) {
            guard.disarm(tag);
            armed = false;
        }
        if (step == Step.NOTHING && ownerHere && !d.reason().equals(lastWaiting)) {
            waiting(d.reason());
        }
    }

    private boolean waitingOnlyForFencing(Decision d) {
        return d.step(self) == Step.NOTHING && d.reason().contains("to be fenced");
    }

    /** Beyond the policy: the lease (when configured) and every ALIVE server's acknowledgement. */
    private Optional<String> obstacle(OwnerRecord record) {
        if (fencing.leaseMode() && !leaseHeld) {
            return Optional.of("acquiring the disk lease");
        }
        return facts.unacknowledged(record);
    }

    private void waiting(String why) {
        if (!why.equals(lastWaiting)) {
            lastWaiting = why;
            log.placementWaiting(hierarchy.tag(), why);
        }
    }

    /** Arms the guard before anything starts, its deadline counted from the latest proof of entitlement. */
    private void arm() {
        if (!armed) {
            armed = guard.arm(hierarchy.tag(), ownership.anchor());
            armedAt = System.nanoTime();
            listedRunning = false;
        }
    }

    // ---- the operator and the stop ----

    private Behavior<Command> onOperatorAction(OperatorAction msg) {
        String tag = hierarchy.tag();
        if (stopping.isPresent()) {
            msg.replyTo().tell(StatusReply.error("Vigil is shutting down on server \"" + self + "\""));
            return this;
        }
        log.actionRequested(msg.action().wireName(), tag, msg.requestedTag());
        switch (msg.action()) {
            case RESTORE -> {
                pending.ifPresent(p -> p.replyTo().tell(StatusReply.error("superseded by a newer restore request")));
                pending = Optional.of(new PendingRestore(msg.replyTo(), System.nanoTime() + MOVE_LIMIT.toNanos()));
                request = Optional.of(self);
                operatorRemoval = Optional.of(false);
            }
            case REMOVE -> {
                operatorRemoval = Optional.of(true);
                supervisor.tell(new HierarchySupervisor.Apply(HierarchyAction.REMOVE, claim.owner().generation(),
                        "taken out of service by the operator (remove)", Optional.of(msg.replyTo())));
            }
            case RESTART -> {
                if (!local.allInService()) {
                    String why = "hierarchy \"" + tag + "\" is not in service on " + self + "; restart restarts it"
                            + " where it runs (perform_action -t " + tag + " -a restore brings it here)";
                    log.actionRefused(msg.action().wireName(), tag, why);
                    msg.replyTo().tell(StatusReply.error(why));
                } else {
                    supervisor.tell(new HierarchySupervisor.Apply(HierarchyAction.RESTART, claim.owner().generation(),
                            "restart requested by the operator", Optional.of(msg.replyTo())));
                }
            }
        }
        return this;
    }

    private Behavior<Command> onStop(Stop msg) {
        stopping = Optional.of(msg.shutdown());
        stopReply = Optional.of(msg.replyTo());
        stopFoundNothing = !local.anyRunning() && !local.busy() && claim.owner().owner().filter(self::equals).isEmpty();
        stopDeadline = System.nanoTime() + MOVE_LIMIT.toNanos();
        board.tell(new StatusBoard.ShutdownStarted(msg.shutdown()));
        pending.ifPresent(p -> p.replyTo().tell(StatusReply.error("Vigil is shutting down on server \"" + self + "\"")));
        pending = Optional.empty();
        if (msg.shutdown().leavesRunning()) {
            lease.ifPresent(LeaseKeeper::park);
            if (armed) {
                guard.disarm(hierarchy.tag());
                armed = false;
            }
        }
        return this;
    }

    /** The stop is answered once nothing runs here (or it is left running), and a switchover has landed. */
    private void finishStop() {
        if (stopReply.isEmpty()) {
            return;
        }
        Shutdown s = stopping.orElseThrow();
        boolean doneHere = s.leavesRunning() || !local.busy() && !local.anyRunning();
        boolean landed = !s.switchesOver() || !claim.owner().owner().filter(o -> !o.equals(self)).isPresent()
                || facts.inServiceElsewhere();
        if (doneHere && (landed || stopFoundNothing) || System.nanoTime() - stopDeadline > 0) {
            if (armed && !local.anyRunning()) {
                guard.disarm(hierarchy.tag());
                armed = false;
            }
            lease.ifPresent(l -> l.want(false));
            stopReply.get().tell(Done.getInstance());
            stopReply = Optional.empty();
        }
    }

    /** Answers a maintenance on/off request once the new mode is recorded. */
    private void answerMaintenance(boolean now) {
        maintenanceRequest.ifPresent(m -> m.replyTo().tell(m.on() == now
                ? StatusReply.success("hierarchy \"" + hierarchy.tag() + "\" is " + (now ? "in" : "out of")
                        + " maintenance mode")
                : StatusReply.error("maintenance mode of hierarchy \"" + hierarchy.tag() + "\" could not be changed: "
                        + lastReason)));
        maintenanceRequest = Optional.empty();
    }

    private void expirePending() {
        if (pending.isPresent() && System.nanoTime() - pending.get().deadline() > 0) {
            pending.get().replyTo().tell(StatusReply.error("hierarchy \"" + hierarchy.tag() + "\" could not be brought"
                    + " in service on " + self + " within " + MOVE_LIMIT.toSeconds() + " s: " + lastReason));
            pending = Optional.empty();
        }
    }

    private Behavior<Command> onLease(LeaseHeard msg) {
        eventSinceDecision = true;
        if (msg.event() instanceof LeaseKeeper.Acquired a) {
            leaseHeld = true;
            lostEntitlement = Optional.empty();
            log.leaseAcquired(hierarchy.tag(), a.generation());
        } else if (msg.event() instanceof LeaseKeeper.NotHeld n) {
            leaseHeld = false;
            log.leaseNotHeld(hierarchy.tag(), n.reason());
        } else if (msg.event() instanceof LeaseKeeper.Lost l) {
            leaseHeld = false;
            lostEntitlement = Optional.of("its disk lease was lost (" + l.reason() + ")");
        }
        return onTick(); // decide now: a takeover waits for nothing else, a lost lease stops it here
    }
}
