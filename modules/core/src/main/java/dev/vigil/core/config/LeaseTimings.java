package dev.vigil.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The clocks of the disk lease and the fencing guard, validated as one set because their safety
 * is a relation between them, not a property of any one value. docs/split-brain.md derives each
 * inequality; in short, a holder's resources are dead before any other server can consider its
 * lease expired because {@code renew-timeout + fence-timeout + safety-margin <= lease-timeout},
 * the guard never waits longer than the daemon ({@code guard-timeout <= renew-timeout}), and a live
 * holder or contender rewrites its slot often enough never to look expired.
 *
 * @param renewInterval how often the holder rewrites its slot (and a contender refreshes WANTED)
 * @param ioTimeout a single lease read or write that takes longer counts as failed
 * @param renewTimeout the holder considers its lease lost when no renewal that started within this
 *                     much time succeeded; it is also how long the daemon may act as the owner
 * @param guardTimeout the guard fences when it was not fed for this long after the last renewal start
 * @param fenceTimeout the budget of the guard to kill, unmount and delete addresses
 * @param safetyMargin covers timer and scheduling lateness of the guard and clock-rate differences
 * @param leaseTimeout another server's lease expires after this much locally observed staleness
 */
public record LeaseTimings(Duration renewInterval, Duration ioTimeout, Duration renewTimeout,
                           Duration guardTimeout, Duration fenceTimeout, Duration safetyMargin,
                           Duration leaseTimeout) {

    /** The smallest margin accepted: below this, ordinary scheduling jitter could eat it. */
    public static final Duration MIN_SAFETY_MARGIN = Duration.ofMillis(50);

    /** Tight enough for a failover of about a second and a half on local disks; see docs/split-brain.md. */
    public static final LeaseTimings DEFAULTS = ofMillis(100, 200, 500, 500, 200, 150, 1000);

    public LeaseTimings {
        List<String> problems = problems(renewInterval, ioTimeout, renewTimeout, guardTimeout,
                fenceTimeout, safetyMargin, leaseTimeout);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("unsafe lease timings: " + String.join("; ", problems));
        }
    }

    public static LeaseTimings ofMillis(long renewInterval, long ioTimeout, long renewTimeout, long guardTimeout,
                                        long fenceTimeout, long safetyMargin, long leaseTimeout) {
        return new LeaseTimings(Duration.ofMillis(renewInterval), Duration.ofMillis(ioTimeout),
                Duration.ofMillis(renewTimeout), Duration.ofMillis(guardTimeout), Duration.ofMillis(fenceTimeout),
                Duration.ofMillis(safetyMargin), Duration.ofMillis(leaseTimeout));
    }

    /**
     * Every violated rule, each naming the settings and their values, so a configuration layer can
     * report them as problems of the operator's file before anything runs. Empty when safe.
     */
    public static List<String> problems(Duration renewInterval, Duration ioTimeout, Duration renewTimeout,
                                        Duration guardTimeout, Duration fenceTimeout, Duration safetyMargin,
                                        Duration leaseTimeout) {
        List<String> p = new ArrayList<>();
        if (renewInterval == null || ioTimeout == null || renewTimeout == null || guardTimeout == null
                || fenceTimeout == null || safetyMargin == null || leaseTimeout == null) {
            p.add("every lease timing must be set");
            return p;
        }
        long r = renewInterval.toMillis(), io = ioTimeout.toMillis(), rt = renewTimeout.toMillis();
        long g = guardTimeout.toMillis(), f = fenceTimeout.toMillis(), m = safetyMargin.toMillis();
        long l = leaseTimeout.toMillis();
        positive(p, "renew-interval", r);
        positive(p, "io-timeout", io);
        positive(p, "fence-timeout", f);
        if (!p.isEmpty()) {
            return p;
        }
        if (m < MIN_SAFETY_MARGIN.toMillis()) {
            p.add("safety-margin (" + m + " ms) must be at least " + MIN_SAFETY_MARGIN.toMillis() + " ms");
        }
        if (rt < 2 * r + io) {
            p.add("renew-timeout (" + rt + " ms) must be at least 2 x renew-interval + io-timeout (" + (2 * r + io)
                    + " ms), so that one failed renewal does not cost the lease");
        }
        if (g > rt) {
            p.add("guard-timeout (" + g + " ms) must not exceed renew-timeout (" + rt
                    + " ms): the guard must never fence later than the daemon gives the lease up");
        }
        if (g < 2 * r + io) {
            p.add("guard-timeout (" + g + " ms) must be at least 2 x renew-interval + io-timeout (" + (2 * r + io)
                    + " ms), so that one failed renewal does not fence");
        }
        if (rt + f + m > l) {
            p.add("renew-timeout + fence-timeout + safety-margin (" + rt + " + " + f + " + " + m + " = " + (rt + f + m)
                    + " ms) must not exceed lease-timeout (" + l
                    + " ms): a holder's resources must be dead before its lease can expire for another server");
        }
        if (r + 3 * io >= l) {
            p.add("renew-interval + 3 x io-timeout (" + (r + 3 * io) + " ms) must be below lease-timeout (" + l
                    + " ms), so that a live holder or contender never looks expired");
        }
        return p;
    }

    private static void positive(List<String> p, String name, long millis) {
        if (millis <= 0) {
            p.add(name + " (" + millis + " ms) must be positive");
        }
    }

    /** How long a contender waits between announcing WANTED and the read that decides. */
    public Duration acquireWait() {
        return ioTimeout.multipliedBy(2);
    }

    /**
     * What this server promises in its slot: after its last renewal start, everything it runs is
     * dead within this time. Observers never expire a slot earlier than this plus their margin,
     * so servers with different settings stay safe with each other.
     */
    public Duration fenceBound() {
        return renewTimeout.plus(fenceTimeout);
    }

    @Override
    public String toString() {
        return "renew-interval " + renewInterval.toMillis() + " ms, io-timeout " + ioTimeout.toMillis()
                + " ms, renew-timeout " + renewTimeout.toMillis() + " ms, guard-timeout " + guardTimeout.toMillis()
                + " ms, fence-timeout " + fenceTimeout.toMillis() + " ms, safety-margin " + safetyMargin.toMillis()
                + " ms, lease-timeout " + leaseTimeout.toMillis() + " ms";
    }
}
