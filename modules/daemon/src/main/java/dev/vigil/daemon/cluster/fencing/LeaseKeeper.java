package dev.vigil.daemon.cluster.fencing;

import dev.vigil.core.config.LeaseTimings;
import dev.vigil.guard.lease.DiskLease;
import dev.vigil.guard.lease.LeaseIdentity;
import dev.vigil.guard.lease.LeaseOutcome;
import dev.vigil.guard.lease.SlotState;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One hierarchy's disk lease on this server, kept on a thread of its own so that renewals are never
 * late behind actor work: while the placement wants the hierarchy here it acquires the lease
 * (waiting for a dead holder's lease to expire) and renews it every renew-interval, feeding the
 * fencing guard and the {@link Ownership} check with each renewal's start; otherwise it releases
 * the lease and keeps observing it, so that a holder's staleness is already counted when the
 * holder dies. A lost or unobtainable lease is reported to the placement, which takes the
 * hierarchy out of service here; the guard fences independently if the daemon does not.
 *
 * <p>The server the placement names as the successor of the holder (the one it would move the
 * hierarchy to if the holder died) does not wait for the holder's expiry to begin acquiring: once
 * the holder has missed {@value #SUSPECT_AFTER_RENEWALS} renewals it announces WANTED and takes the
 * lease the moment the holder's slot expires (a holder that renews again ends that at once, and
 * nothing else happens). Such a lease is kept for {@link #PRE_ACQUIRED_GRACE_MILLIS} ms for the
 * placement to want it, and released otherwise. The failover then starts at the holder's expiry
 * instead of one acquisition (2 x io-timeout and more) later.
 */
public final class LeaseKeeper implements AutoCloseable {

    /** What the placement hears from its lease. */
    public sealed interface Event {
    }

    /** The lease is held (acquired or adopted) at {@code generation}. */
    public record Acquired(long generation) implements Event {
    }

    /** Another server holds it, or the device failed: this server may not run the hierarchy now. */
    public record NotHeld(String reason) implements Event {
    }

    /** A held lease was lost: the hierarchy must stop here at once. */
    public record Lost(String reason) implements Event {
    }

    /** A holder's slot unchanged for this many renew-intervals makes its successor start acquiring. */
    static final int SUSPECT_AFTER_RENEWALS = 3;
    /** How long a lease taken over as successor is kept without the placement wanting it. */
    static final long PRE_ACQUIRED_GRACE_MILLIS = 3000;

    /** How the daemon formats a blank lease device: slots per lease (servers) and leases (hierarchies). */
    static final int SLOTS = 8;
    static final int LEASES = 128;

    private final DiskLease lease;
    private final Path device;
    private final String cluster;
    private final String tag;
    private final int priority;
    private final LeaseTimings timings;
    private final Fencing fencing;
    private final Ownership ownership;
    private final Consumer<Event> events;
    private final ScheduledExecutorService thread;
    private final Thread watchdog;
    private volatile boolean wanted;
    private volatile boolean holding;
    private volatile boolean closed;
    /** When the lease thread's round in progress started; 0 between rounds. */
    private volatile long roundStartedNanos;
    /** The start of the renewal (or acquisition) that last proved the held lease: renew-timeout counts from it. */
    private volatile long provenAtNanos;
    /** Orders the watchdog's loss against a renewal that completes at the same moment. */
    private final Object lossLock = new Object();
    private volatile boolean parked;
    /** Servers whose HELD slot has expired as this server observes it: they are no longer running the hierarchy. */
    private volatile java.util.Set<String> expiredHolders = java.util.Set.of();
    /** The holder this server takes the lease over from when it stops renewing (named by the placement), or null. */
    private volatile String successorOf;
    /**
     * Servers whose slot this server has seen change: a holder that stops renewing is one of them. A
     * slot left HELD by a previous run of a server (powered off while holding) has never changed
     * here; it expires like any other, but its server — perhaps just starting again — is not taken
     * for a holder that stopped (lease thread only).
     */
    private final java.util.Set<String> renewing = new java.util.HashSet<>();
    private final java.util.Map<String, SlotContent> firstSeen = new java.util.HashMap<>();
    /** Slots as last observed (lease thread only). */
    private java.util.List<dev.vigil.guard.lease.SlotView> observed = java.util.List.of();
    /** When a lease taken over as successor was acquired, while the placement has not wanted it yet; 0 when not. */
    private long preAcquiredAt;
    private String lastRefusal = "";

    public LeaseKeeper(Path device, String cluster, String server, int serverIndex, String tag, int priority,
                       LeaseTimings timings, Fencing fencing, Ownership ownership, Consumer<Event> events) {
        this.lease = new DiskLease(device, new LeaseIdentity(cluster, server, serverIndex), tag, timings);
        this.device = device;
        this.cluster = cluster;
        this.tag = tag;
        this.priority = priority;
        this.timings = timings;
        this.fencing = fencing;
        this.ownership = ownership;
        this.events = events;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-lease-" + tag);
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            return t;
        });
        watchdog = new Thread(this::watch, "vigil-lease-watchdog-" + tag);
        watchdog.setDaemon(true);
        watchdog.start();
        long every = timings.renewInterval().toNanos();
        thread.scheduleWithFixedDelay(this::round, 0, every, TimeUnit.NANOSECONDS);
    }

    /** Whether the placement wants the hierarchy on this server (acquire and keep) or not (release). */
    public void want(boolean wanted) {
        this.wanted = wanted;
    }

    /**
     * The holder this server succeeds if it dies ({@code Optional.empty()}: none): the placement's
     * answer to "where would the hierarchy go if its owner's server died now", when it is here.
     */
    public void successorOf(java.util.Optional<String> holder) {
        this.successorOf = holder.orElse(null);
    }

    public boolean holds() {
        return holding && lease.holds();
    }

    /** {@code lkstop -f}: the lease is parked (nobody takes the hierarchy over) and no longer renewed. */
    public void park() {
        parked = true;
        try {
            thread.submit(() -> {
                if (holding) {
                    lease.park();
                    holding = false;
                }
            }).get(timings.renewTimeout().toMillis() * 4, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            Thread.currentThread().interrupt();
        }
    }

    private void round() {
        if (parked) {
            return;
        }
        roundStartedNanos = System.nanoTime();
        try {
            if (holding) {
                if (!wanted && (preAcquiredAt == 0
                        || System.nanoTime() - preAcquiredAt > PRE_ACQUIRED_GRACE_MILLIS * 1_000_000)) {
                    holding = false;
                    preAcquiredAt = 0;
                    lease.release();
                    return;
                }
                if (wanted) {
                    preAcquiredAt = 0;
                }
                renew();
            } else if (wanted) {
                acquire();
            } else {
                observe();
                succeedIfTheHolderStops();
            }
        } catch (RuntimeException e) {
            events.accept(new NotHeld("lease " + tag + ": " + e));
        } finally {
            roundStartedNanos = 0;
        }
    }

    /**
     * The lease I/O runs on the lease thread itself, so a hung lease device blocks it: this thread
     * gives the held lease up on time instead. It sleeps until renew-timeout after the renewal that
     * last proved the lease (about twice a second while renewals succeed, not at all while nothing
     * is held). If by then no later renewal succeeded and the lease thread is still inside the
     * round that should have renewed it, the lease is lost now, without waiting for the device:
     * the ownership is revoked and the placement hears {@link Lost}. (A round that is not stuck
     * reports the loss itself.) The guard fences at guard-timeout either way.
     */
    private void watch() {
        long renewTimeout = timings.renewTimeout().toNanos();
        while (!closed) {
            if (!holding || parked) {
                LockSupport.park(this);
                continue;
            }
            long proven = provenAtNanos;
            long now = System.nanoTime();
            if (now - proven < renewTimeout) {
                LockSupport.parkNanos(this, proven + renewTimeout - now);
                continue;
            }
            if (roundStartedNanos != 0 && provenAtNanos == proven) {
                String reason = "no successful renewal for " + TimeUnit.NANOSECONDS.toMillis(now - proven)
                        + " ms (renew-timeout " + timings.renewTimeout().toMillis() + " ms): the lease device "
                        + device + " has not answered for " + lease.ioInFlightMillis() + " ms";
                lease.abandon(reason);
                lose(reason);
            } else {
                LockSupport.parkNanos(this, timings.renewInterval().toNanos());
            }
        }
    }

    /** The lease is held from this proof on: the watchdog counts renew-timeout from {@code anchorNanos}. */
    private void nowHolding(long anchorNanos) {
        provenAtNanos = anchorNanos;
        holding = true;
        LockSupport.unpark(watchdog);
    }

    /**
     * A standby's observation. A holder seen renewing whose slot has then stayed unchanged for the
     * lease timeout has stopped renewing, and its guard has fenced it (renew-timeout + fence-timeout
     * + margin fit in the lease timeout): for this hierarchy it is as good as dead, whatever the
     * network says.
     */
    private void observe() {
        LeaseOutcome o = lease.observe();
        if (o instanceof LeaseOutcome.Observed seen) {
            observed = seen.slots();
            java.util.Set<String> expired = null;
            for (dev.vigil.guard.lease.SlotView v : seen.slots()) {
                if (v.mine() || v.slot() == null || v.slot().serverName().isEmpty()) {
                    continue;
                }
                String server = v.slot().serverName();
                SlotContent content = new SlotContent(v.slot().state(), v.slot().generation(), v.slot().counter());
                SlotContent before = firstSeen.putIfAbsent(server, content);
                if (before != null && !before.equals(content)) {
                    renewing.add(server);
                }
                if (v.slot().state() == SlotState.HELD && v.expired() && renewing.contains(server)) {
                    if (expired == null) {
                        expired = new java.util.HashSet<>();
                    }
                    expired.add(server);
                }
            }
            expiredHolders = expired == null ? java.util.Set.of() : java.util.Set.copyOf(expired);
        }
    }

    /** What identifies one write of a slot: a renewal changes the counter. */
    private record SlotContent(SlotState state, long generation, long counter) {
    }

    /**
     * The successor's early acquisition: the holder has missed renewals, so WANTED is announced now
     * and the lease taken right at the holder's expiry (its guard has fenced it by then). A holder
     * that renews meanwhile makes the acquisition give up; that is no event for the placement.
     */
    private void succeedIfTheHolderStops() {
        String holder = successorOf;
        long suspectAfter = timings.renewInterval().toMillis() * SUSPECT_AFTER_RENEWALS;
        if (holder == null || !renewing.contains(holder)) {
            return;
        }
        boolean suspect = false;
        for (dev.vigil.guard.lease.SlotView v : observed) {
            suspect |= !v.mine() && v.slot() != null && v.slot().state() == SlotState.HELD
                    && v.slot().serverName().equals(holder) && v.staleForMillis() >= suspectAfter;
        }
        if (!suspect) {
            return;
        }
        LeaseOutcome o = lease.acquire(priority, timings.leaseTimeout().plus(timings.fenceBound()));
        if (o instanceof LeaseOutcome.Acquired a) {
            nowHolding(a.anchorNanos());
            preAcquiredAt = System.nanoTime();
            lastRefusal = "";
            expiredHolders = java.util.Set.of(holder);
            ownership.proven(a.anchorNanos(), a.validUntilNanos());
            events.accept(new Acquired(a.generation()));
        }
    }

    /** The servers whose hold on this lease has expired, as last observed here. */
    public java.util.Set<String> expiredHolders() {
        return expiredHolders;
    }

    private void renew() {
        LeaseOutcome o = lease.renew();
        if (o instanceof LeaseOutcome.Renewed r) {
            synchronized (lossLock) {
                if (!holding) {
                    return; // the watchdog gave the lease up while this renewal was under way
                }
                provenAtNanos = r.anchorNanos();
                ownership.proven(r.anchorNanos(), r.validUntilNanos());
            }
            fencing.feed(tag, r.anchorNanos());
        } else if (o instanceof LeaseOutcome.Lost lost) {
            lose(lost.reason());
        } else if (!lease.holds()) {
            lose(describe(o));
        }
    }

    /** Reports a held lease lost, once (the lease thread and the watchdog may both find it). */
    private void lose(String reason) {
        synchronized (lossLock) {
            if (!holding) {
                return;
            }
            holding = false;
            ownership.revoke("disk lease lost: " + reason);
        }
        events.accept(new Lost(reason));
    }

    private void acquire() {
        LeaseOutcome o = lease.acquire(priority, timings.leaseTimeout().plus(timings.fenceBound()));
        if (o instanceof LeaseOutcome.Failed f && f.message().contains("no VIGILLSE header")) {
            LeaseOutcome formatted = DiskLease.format(device, cluster, SLOTS, LEASES, false);
            o = formatted instanceof LeaseOutcome.Formatted ? lease.acquire(priority,
                    timings.leaseTimeout().plus(timings.fenceBound())) : formatted;
        }
        if (o instanceof LeaseOutcome.Acquired a && wanted) {
            nowHolding(a.anchorNanos());
            lastRefusal = "";
            ownership.proven(a.anchorNanos(), a.validUntilNanos());
            events.accept(new Acquired(a.generation()));
        } else if (o instanceof LeaseOutcome.Acquired) {
            lease.release();
        } else {
            // A refusal names how long the holder's slot has been unchanged: report each holder once.
            String key = o instanceof LeaseOutcome.Refused r ? "held by " + r.holder() : describe(o);
            if (!key.equals(lastRefusal)) {
                lastRefusal = key;
                events.accept(new NotHeld(describe(o)));
            }
        }
    }

    private static String describe(LeaseOutcome o) {
        if (o instanceof LeaseOutcome.Refused r) {
            return r.reason();
        }
        if (o instanceof LeaseOutcome.Failed f) {
            return f.message();
        }
        if (o instanceof LeaseOutcome.Lost l) {
            return l.reason();
        }
        return o.toString();
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(watchdog);
        thread.shutdownNow();
        try {
            thread.awaitTermination(timings.renewTimeout().toMillis() * 4, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lease.close();
    }
}
