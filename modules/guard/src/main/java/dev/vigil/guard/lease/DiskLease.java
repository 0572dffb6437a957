package dev.vigil.guard.lease;

import dev.vigil.core.config.LeaseTimings;
import dev.vigil.guard.lease.LeaseDevice.Io;
import dev.vigil.guard.lease.LeaseOutcome.Acquired;
import dev.vigil.guard.lease.LeaseOutcome.Failed;
import dev.vigil.guard.lease.LeaseOutcome.Lost;
import dev.vigil.guard.lease.LeaseOutcome.Refused;
import dev.vigil.guard.lease.LeaseReading.Seen;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * This server's claim on one lease of a shared lease device: the tie-breaker that lets only one
 * server run a hierarchy on the shared disk, whatever the network does (SBD/sanlock style). Each
 * server writes only its own slot; a holder proves it is alive by changing its slot's counter
 * every renew-interval; another server considers it gone only after seeing the slot unchanged for
 * lease-timeout by its own monotonic clock, by which time the holder has fenced itself (see
 * {@link LeaseTimings} and docs/split-brain.md). Acquisition announces WANTED, waits 2 x io-timeout
 * so that every contender sees every other, and lets the best (priority, server name) win.
 *
 * <p>Blocking: every call does lease I/O (each operation bounded by io-timeout); acquire may wait
 * for a stale holder to expire. Call from one thread of the daemon, never from an actor's thread.
 * {@link #holds()} and {@link #status()} never block and may be called from anywhere.
 */
public final class DiskLease implements AutoCloseable {

    public static final int MAX_SLOTS = LeaseFormatter.MAX_SLOTS;
    public static final int MAX_LEASES = LeaseFormatter.MAX_LEASES;

    private final LeaseIdentity me;
    private final String leaseName;
    private final LeaseTimings t;
    private final LeaseArea area;
    private int priority;

    private volatile LeaseState state = LeaseState.NOT_HELD;
    private volatile long generation;
    private volatile long anchorNanos;
    private volatile boolean anchored;
    private volatile String holder;
    private volatile String lastError;
    private volatile String lostReason;

    public DiskLease(Path device, LeaseIdentity me, String leaseName, LeaseTimings timings) {
        if (leaseName == null || leaseName.isBlank()) {
            throw new IllegalArgumentException("lease name must not be blank");
        }
        this.me = me;
        this.leaseName = LeaseSlot.stored(leaseName, LeaseSlot.MAX_LEASE_NAME);
        this.t = timings;
        this.area = new LeaseArea(device, me, this.leaseName, timings);
    }

    /**
     * Writes an empty lease area: the header and every slot FREE. Refuses a device formatted for
     * another cluster, or one with slots in use, unless {@code force}.
     */
    public static LeaseOutcome format(Path device, String clusterName, int slots, int maxLeases, boolean force) {
        return LeaseFormatter.format(device, clusterName, slots, maxLeases, force);
    }

    /** The lease index a name hashes to on a device with {@code maxLeases} leases. */
    public static int leaseIndex(String leaseName, int maxLeases) {
        return LeaseFormatter.leaseIndex(leaseName, maxLeases);
    }

    /** Lease indexes shared by more than one of {@code leaseNames}: a configuration error to report. */
    public static Map<Integer, List<String>> collisions(Collection<String> leaseNames, int maxLeases) {
        return LeaseFormatter.collisions(leaseNames, maxLeases);
    }

    /** Reads every slot of the lease and reports what each says and how long it has been unchanged. */
    public synchronized LeaseOutcome observe() {
        String err = area.hasHeader() ? null : area.ensureHeader();
        if (err != null) {
            return fail(err);
        }
        Io<LeaseReading> io = read();
        if (!io.ok()) {
            return fail(io.error());
        }
        List<Seen> slots = io.value().slots();
        SlotView[] views = new SlotView[slots.size()];
        for (int i = 0; i < views.length; i++) {
            Seen s = slots.get(i);
            views[i] = new SlotView(s.index(), s.slot(), s.decoded().problem(), ms(s.staleNanos()), s.expired(),
                    s.index() == me.serverIndex());
        }
        return new LeaseOutcome.Observed(List.of(views));
    }

    public LeaseOutcome acquire(int priority) {
        return acquire(priority, Duration.ZERO, false);
    }

    /**
     * Acquires, waiting up to {@code waitForExpiry} for a holder that has stopped renewing to expire
     * (the WANTED announcement overlaps that wait, so a takeover costs little more than
     * lease-timeout). A holder that renews meanwhile makes it give up at once.
     */
    public LeaseOutcome acquire(int priority, Duration waitForExpiry) {
        return acquire(priority, waitForExpiry, false);
    }

    /**
     * Like {@link #acquire(int, Duration)} but also takes over a lease another server parked. Only
     * for an operator who knows that server is down: its resources may otherwise still run.
     */
    public LeaseOutcome forceAcquire(int priority, Duration waitForExpiry) {
        return acquire(priority, waitForExpiry, true);
    }

    private synchronized LeaseOutcome acquire(int prio, Duration wait, boolean breakParked) {
        if (holds()) {
            return new Acquired(leaseName, generation, anchorNanos, anchorNanos + t.renewTimeout().toNanos(),
                    "already held");
        }
        priority = prio;
        String err = area.ensureHeader();
        if (err != null) {
            return fail(err);
        }
        Io<LeaseReading> io = read();
        if (!io.ok()) {
            return fail(io.error());
        }
        LeaseReading r = io.value();
        String conflict = area.conflict(r);
        if (conflict != null) {
            return fail(conflict);
        }
        Seen own = r.own();
        if (own.is(SlotState.PARKED) && own.slot().serverName().equals(me.serverName())) {
            Optional<Seen> other = r.otherHolder();
            if (other.isPresent()) {
                return refuse(area.heldBy(other.get()), other.get().who());
            }
            return becomeHolder(r.maxGeneration() + 1, r, "adopted the lease this server parked");
        }
        long waitNanos = wait.toNanos();
        Map<Integer, Long> blockers = new HashMap<>();
        for (Seen s : r.others()) {
            if (s.is(SlotState.PARKED) && !breakParked) {
                return refuse(area.parkedBy(s), s.who());
            }
            if (s.liveHolderOrUnknown()) {
                if (area.thresholdNanos(s.decoded()) - s.staleNanos() > waitNanos) {
                    return refuse(area.heldBy(s), s.who());
                }
                blockers.put(s.index(), s.signature());
            }
        }
        long gen = r.maxGeneration() + 1;
        long maxOther = r.maxOtherGeneration();
        state = LeaseState.ACQUIRING;
        Io<Void> w = area.writeOwn(SlotState.WANTED, gen, priority);
        if (!w.ok()) {
            return backOff(new Failed(w.error()));
        }
        long decideAfter = w.endNanos() + t.acquireWait().toNanos();
        long giveUpAt = System.nanoTime() + waitNanos + t.acquireWait().toNanos() + t.leaseTimeout().toNanos();
        long lastWrite = w.startNanos();
        long interval = t.renewInterval().toNanos();
        long decideAt = decisionTime(r, decideAfter);
        while (true) {
            long pause = Math.min(lastWrite + interval, decideAt) - System.nanoTime();
            if (pause > 0) {
                LockSupport.parkNanos(pause);
            }
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return backOff(new Failed("interrupted while acquiring lease \"" + leaseName + "\""));
            }
            io = read();
            if (!io.ok()) {
                return backOff(new Failed(io.error()));
            }
            r = io.value();
            conflict = area.conflict(r);
            if (conflict != null) {
                return backOff(new Failed(conflict));
            }
            maxOther = Math.max(maxOther, r.maxOtherGeneration());
            decideAt = decisionTime(r, decideAfter);
            Optional<Refused> obstacle = obstacle(r, blockers, breakParked);
            if (obstacle.isPresent()) {
                return backOff(obstacle.get());
            }
            boolean nobodyLive = r.others().stream().noneMatch(Seen::liveHolderOrUnknown);
            if (nobodyLive && r.startNanos() >= decideAfter) {
                Optional<Seen> better = r.others().stream()
                        .filter(s -> s.is(SlotState.WANTED) && !s.expired() && outranks(s.slot()))
                        .findFirst();
                if (better.isPresent()) {
                    return backOff(new Refused("lost the race for lease \"" + leaseName + "\" to "
                            + better.get().who() + " (priority " + better.get().slot().priority() + ")",
                            better.get().who()));
                }
                return becomeHolder(Math.max(gen, maxOther + 1), r, takeoverNote(r));
            }
            if (System.nanoTime() > giveUpAt) {
                Seen still = r.others().stream().filter(Seen::liveHolderOrUnknown).findFirst().orElse(r.own());
                return backOff(new Refused(area.heldBy(still) + " after waiting " + wait.toMillis() + " ms", still.who()));
            }
            if (System.nanoTime() - lastWrite >= interval) {
                w = area.writeOwn(SlotState.WANTED, gen, priority);
                if (!w.ok()) {
                    return backOff(new Failed(w.error()));
                }
                lastWrite = w.startNanos();
            }
        }
    }

    /**
     * When the deciding read can start: not before {@code decideAfter}, and not before a read would
     * see every slot that may stand for a live holder unchanged for its threshold (then the decision
     * is made right at expiry instead of up to a renew-interval later).
     */
    private long decisionTime(LeaseReading r, long decideAfter) {
        long at = decideAfter;
        for (Seen s : r.others()) {
            if (s.liveHolderOrUnknown()) {
                at = Math.max(at, r.startNanos() + area.thresholdNanos(s.decoded()) - s.staleNanos());
            }
        }
        return at;
    }

    /** A reason to give up waiting: a blocker renewed, or someone else holds or parked the lease. */
    private Optional<Refused> obstacle(LeaseReading r, Map<Integer, Long> blockers, boolean breakParked) {
        for (Seen s : r.others()) {
            if (s.is(SlotState.PARKED) && !breakParked) {
                return Optional.of(new Refused(area.parkedBy(s), s.who()));
            }
            if (!s.liveHolderOrUnknown()) {
                continue;
            }
            Long before = blockers.get(s.index());
            if (before == null) {
                return Optional.of(new Refused(area.heldBy(s) + " (acquired while this server was acquiring)", s.who()));
            }
            if (before != s.signature()) {
                return Optional.of(new Refused(area.heldBy(s) + " (renewed while this server waited)", s.who()));
            }
        }
        return Optional.empty();
    }

    /** Lower priority number wins; the server name breaks ties, the same way on every server. */
    private boolean outranks(LeaseSlot other) {
        if (other.priority() != priority) {
            return other.priority() < priority;
        }
        return other.serverName().compareTo(me.serverName()) < 0;
    }

    /**
     * Writes HELD after the deciding read {@code decided}. The race argument needs the HELD block on
     * disk within 2 x io-timeout of that read's start (then every contender's deciding read sees
     * it); a pause in between (a GC, SIGSTOP) voids the acquisition.
     */
    private LeaseOutcome becomeHolder(long gen, LeaseReading decided, String note) {
        Io<Void> w = area.writeOwn(SlotState.HELD, gen, priority);
        if (!w.ok()) {
            return backOff(new Failed(w.error()));
        }
        long sinceDecision = w.endNanos() - decided.startNanos();
        if (sinceDecision > t.acquireWait().toNanos()) {
            return backOff(new Refused("acquisition of lease \"" + leaseName + "\" voided: " + ms(sinceDecision)
                    + " ms passed between the deciding read and the HELD write (more than 2 x io-timeout)", null));
        }
        generation = gen;
        anchorNanos = w.startNanos();
        anchored = true;
        state = LeaseState.HELD;
        holder = me.serverName();
        lastError = null;
        lostReason = null;
        return new Acquired(leaseName, gen, anchorNanos, anchorNanos + t.renewTimeout().toNanos(), note);
    }

    private String takeoverNote(LeaseReading r) {
        return r.others().stream().filter(s -> s.expired() && (s.is(SlotState.HELD) || !s.valid()))
                .map(s -> "took over from " + s.who() + (s.valid() ? " (generation " + s.slot().generation() + ")" : "")
                        + ", its slot unchanged for " + ms(s.staleNanos()) + " ms")
                .findFirst().orElse("");
    }

    private LeaseOutcome backOff(LeaseOutcome why) {
        area.writeOwn(SlotState.FREE, generation, priority);
        state = LeaseState.NOT_HELD;
        if (why instanceof Failed f) {
            lastError = f.message();
        }
        return why;
    }

    /**
     * Proves this server still holds the lease: checks that no other server holds a newer
     * generation, then rewrites the slot with the next counter (the read and the write with one open
     * of the device). Lost when no renewal succeeded
     * within renew-timeout (then nothing is written: a frozen daemon that wakes up cannot renew a
     * lease that may already have expired elsewhere).
     */
    public synchronized LeaseOutcome renew() {
        if (state == LeaseState.LOST) {
            return new Lost(lostReason);
        }
        if (state != LeaseState.HELD) {
            return fail("lease \"" + leaseName + "\" is not held by " + me.serverName() + " (" + state + ")");
        }
        long sinceAnchor = System.nanoTime() - anchorNanos;
        if (sinceAnchor > t.renewTimeout().toNanos()) {
            return lose("no successful renewal for " + ms(sinceAnchor) + " ms (renew-timeout "
                    + t.renewTimeout().toMillis() + " ms)" + (lastError == null ? "" : "; last error: " + lastError));
        }
        long gen = generation;
        Io<LeaseArea.ReadThenWrite> io = area.readThenWriteOwn(SlotState.HELD, gen, priority,
                r -> newer(r, gen).isPresent() || area.conflict(r) != null);
        if (!io.ok()) {
            return failWhileHeld(io.error());
        }
        LeaseReading reading = io.value().reading();
        noteHolder(reading);
        Optional<Seen> newer = newer(reading, gen);
        if (newer.isPresent()) {
            return lose("taken over by " + newer.get().who() + " (generation " + newer.get().slot().generation()
                    + ", this server had " + gen + ")");
        }
        if (io.value().vetoed()) {
            return failWhileHeld(area.conflict(reading));
        }
        Io<Void> w = io.value().write();
        if (!w.ok()) {
            return failWhileHeld(w.error());
        }
        if (w.endNanos() - anchorNanos > t.renewTimeout().toNanos()) {
            return lose("renewal completed " + ms(w.endNanos() - anchorNanos)
                    + " ms after the previous one started, beyond renew-timeout " + t.renewTimeout().toMillis() + " ms");
        }
        anchorNanos = w.startNanos();
        lastError = null;
        return new LeaseOutcome.Renewed(generation, area.counter(), anchorNanos, anchorNanos + t.renewTimeout().toNanos());
    }

    /** Another server's HELD or PARKED slot with a newer generation than {@code gen}: the lease was taken over. */
    private static Optional<Seen> newer(LeaseReading r, long gen) {
        for (Seen s : r.slots()) {
            if (s.index() != r.ownIndex() && (s.is(SlotState.HELD) || s.is(SlotState.PARKED))
                    && s.slot().generation() > gen) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Gives the lease up (FREE). Call after the hierarchy's resources are stopped and the guard disarmed. */
    public synchronized LeaseOutcome release() {
        String err = area.hasHeader() ? null : area.ensureHeader();
        if (err != null) {
            state = LeaseState.NOT_HELD;
            return fail(err);
        }
        long gen = generation;
        state = LeaseState.NOT_HELD;
        Io<Void> w = area.writeOwn(SlotState.FREE, gen, priority);
        if (!w.ok()) {
            return fail(w.error() + "; other servers will see this slot expire after lease-timeout");
        }
        return new LeaseOutcome.Released(gen);
    }

    /**
     * Keeps the lease without renewing ({@code lkstop -f}: the daemon stops, its resources keep
     * running). Other servers refuse to take a parked lease over by staleness; this server adopts
     * it on its next acquire. If this fails the lease is still HELD and must keep being renewed.
     */
    public synchronized LeaseOutcome park() {
        if (!holds()) {
            return fail("cannot park lease \"" + leaseName + "\": not held by " + me.serverName() + " (" + state + ")");
        }
        Io<Void> w = area.writeOwn(SlotState.PARKED, generation, priority);
        if (!w.ok()) {
            return fail("cannot park lease \"" + leaseName + "\": " + w.error()
                    + "; it is still HELD and expires for other servers if renewals stop");
        }
        state = LeaseState.PARKED;
        return new LeaseOutcome.Parked(generation);
    }

    /**
     * Gives a held lease up without I/O, from another thread while a renewal is stuck on the device
     * (the keeper's watchdog, once renew-timeout has passed). Nothing is written: the slot stays as
     * it was and expires for the other servers; a renewal that completes after this changes nothing,
     * and {@link #renew()} answers {@code Lost} from then on.
     */
    public void abandon(String reason) {
        if (state == LeaseState.HELD) {
            lostReason = reason;
            lastError = reason;
            state = LeaseState.LOST;
        }
    }

    /** How long the lease I/O in progress has been running (0 when none is): a hung device shows here. */
    public long ioInFlightMillis() {
        return ms(area.ioInFlightNanos());
    }

    /** True while this server may act as the owner: held, and the last renewal started within renew-timeout. */
    public boolean holds() {
        return state == LeaseState.HELD && anchored
                && System.nanoTime() - anchorNanos <= t.renewTimeout().toNanos();
    }

    public LeaseStatus status() {
        long now = System.nanoTime();
        boolean held = holds();
        LeaseState s = state == LeaseState.HELD && !held ? LeaseState.LOST : state;
        return new LeaseStatus(leaseName, area.leaseIndex(), area.path(), me.serverName(), s, generation,
                held ? ms(anchorNanos + t.renewTimeout().toNanos() - now) : 0, anchored ? ms(now - anchorNanos) : -1,
                holder, lastError);
    }

    public LeaseTimings timings() {
        return t;
    }

    public String leaseName() {
        return leaseName;
    }

    @Override
    public void close() {
        area.close();
    }

    private Io<LeaseReading> read() {
        Io<LeaseReading> io = area.read();
        if (io.ok()) {
            noteHolder(io.value());
        }
        return io;
    }

    /** Who holds the lease as {@code r} shows it: another server, this one, or nobody (for {@link #status()}). */
    private void noteHolder(LeaseReading r) {
        holder = r.otherHolder().map(Seen::who).orElse(holds() ? me.serverName() : null);
    }

    private LeaseOutcome refuse(String reason, String who) {
        state = LeaseState.NOT_HELD;
        return new Refused(reason, who);
    }

    private LeaseOutcome fail(String message) {
        lastError = message;
        return new Failed(message);
    }

    private LeaseOutcome failWhileHeld(String message) {
        lastError = message;
        long left = anchorNanos + t.renewTimeout().toNanos() - System.nanoTime();
        if (left < 0) {
            return lose(message + "; no successful renewal for " + ms(-left + t.renewTimeout().toNanos()) + " ms");
        }
        return new Failed(message + "; the lease stays valid for " + ms(left) + " more ms");
    }

    private LeaseOutcome lose(String reason) {
        state = LeaseState.LOST;
        lostReason = reason;
        lastError = reason;
        return new Lost(reason);
    }

    private static long ms(long nanos) {
        return LeaseArea.ms(nanos);
    }
}
