package dev.vigil.daemon.cluster.fencing;

import java.util.Optional;

/**
 * The check made before every kit action that starts something ({@code restore}, {@code recover}):
 * this server still owns the hierarchy at the generation the action was decided for, and its proof
 * of entitlement (a quorum seen, a lease renewal) is recent. A daemon frozen past its lease, or a
 * decision overtaken by a newer generation, fails it — a stale owner never acts. Written by the
 * hierarchy's placement, read by its supervisor; thread-safe.
 */
public final class Ownership {
    private volatile long generation = -1;
    private volatile boolean owner;
    private volatile long validUntilNanos = Long.MIN_VALUE;
    private volatile long anchorNanos = Long.MIN_VALUE;
    private volatile String why = "no placement decision yet";
    /** The proof was taken back (quorum or lease lost), not merely left to age. */
    private volatile boolean revoked;

    /** Empty when this server may start resources of the hierarchy now, else why not. */
    public Optional<String> mayStart() {
        if (!owner) {
            return Optional.of("this server is no longer the owner (" + why + ")");
        }
        long now = System.nanoTime();
        if (now - validUntilNanos > 0) {
            return Optional.of("this server's right to run it (quorum or disk lease) was last proven "
                    + (now - validUntilNanos) / 1_000_000 + " ms too long ago");
        }
        return Optional.empty();
    }

    /**
     * True when {@link #mayStart} refuses only because the last proof has aged past its validity:
     * this server still owns the hierarchy and nothing took the proof back, so the next quorum
     * round or lease renewal may well renew it (the daemon was held up: a long pause, starved
     * threads). A start waits a little for it rather than give the hierarchy up.
     */
    public boolean merelyStale() {
        return owner && !revoked && anchorNanos != Long.MIN_VALUE && System.nanoTime() - validUntilNanos > 0;
    }

    public long generation() {
        return generation;
    }

    /** The placement decided: this server owns the hierarchy at {@code generation}, or not ({@code why}). */
    public void decided(boolean owner, long generation, String why) {
        this.owner = owner;
        this.generation = generation;
        this.why = why;
    }

    /**
     * Entitlement proven at {@code anchorNanos} (the start of the lease write, or the quorum check)
     * and valid until {@code untilNanos} (System.nanoTime both).
     */
    public void proven(long anchorNanos, long untilNanos) {
        this.anchorNanos = anchorNanos;
        this.validUntilNanos = untilNanos;
        this.revoked = false;
    }

    /** When entitlement was last proven: the anchor the fencing guard's deadline counts from. */
    public long anchor() {
        return anchorNanos;
    }

    /** Entitlement gone at once (lease lost, quorum lost). */
    public void revoke(String reason) {
        this.validUntilNanos = System.nanoTime() - 1;
        this.revoked = true;
        this.why = reason;
    }
}
