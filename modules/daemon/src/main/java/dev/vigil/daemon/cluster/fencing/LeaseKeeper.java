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
    private volatile boolean wanted;
    private volatile boolean holding;
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
    private final java.util.Map<String, String> firstSeen = new java.util.HashMap<>();
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
        try {
            if (holding) {
                if (!wanted && (preAcquiredAt == 0
                        || System.nanoTime() - preAcquiredAt > PRE_ACQUIRED_GRACE_MILLIS * 1_000_000)) {
                    lease.release();
                    holding = false;
                    preAcquiredAt = 0;
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
        }
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
            for (dev.vigil.guard.lease.SlotView v : seen.slots()) {
                if (!v.mine() && v.slot() != null && !v.slot().serverName().isEmpty()) {
                    String content = v.slot().state() + "/" + v.slot().generation() + "/" + v.slot().counter();
                    String before = firstSeen.putIfAbsent(v.slot().serverName(), content);
                    if (before != null && !before.equals(content)) {
                        renewing.add(v.slot().serverName());
                    }
                }
            }
            expiredHolders = seen.slots().stream()
                    .filter(v -> !v.mine() && v.slot() != null && v.slot().state() == SlotState.HELD && v.expired()
                            && renewing.contains(v.slot().serverName()))
                    .map(v -> v.slot().serverName()).collect(java.util.stream.Collectors.toUnmodifiableSet());
        }
    }

    /**
     * The successor's early acquisition: the holder has missed renewals, so WANTED is announced now
     * and the lease taken right at the holder's expiry (its guard has fenced it by then). A holder
     * that renews meanwhile makes the acquisition give up; that is no event for the placement.
     */
    private void succeedIfTheHolderStops() {
        String holder = successorOf;
        long suspectAfter = timings.renewInterval().toMillis() * SUSPECT_AFTER_RENEWALS;
        boolean suspect = holder != null && observed.stream().anyMatch(v -> !v.mine() && v.slot() != null
                && v.slot().state() == SlotState.HELD && v.slot().serverName().equals(holder)
                && renewing.contains(holder) && v.staleForMillis() >= suspectAfter);
        if (!suspect) {
            return;
        }
        LeaseOutcome o = lease.acquire(priority, timings.leaseTimeout().plus(timings.fenceBound()));
        if (o instanceof LeaseOutcome.Acquired a) {
            holding = true;
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
            ownership.proven(r.anchorNanos(), r.validUntilNanos());
            fencing.feed(tag, r.anchorNanos());
        } else if (o instanceof LeaseOutcome.Lost lost) {
            lose(lost.reason());
        } else if (!lease.holds()) {
            lose(describe(o));
        }
    }

    private void lose(String reason) {
        holding = false;
        ownership.revoke("disk lease lost: " + reason);
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
            holding = true;
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
        thread.shutdownNow();
        try {
            thread.awaitTermination(timings.renewTimeout().toMillis() * 4, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lease.close();
    }
}
