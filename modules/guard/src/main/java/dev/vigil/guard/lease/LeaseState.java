package dev.vigil.guard.lease;

/** This server's view of its own claim on a lease. */
public enum LeaseState {
    /** Not held (never acquired, released, refused or backed off). */
    NOT_HELD,
    /** Between announcing WANTED and the deciding read. */
    ACQUIRING,
    /** Held; entitled while renewals keep succeeding within renew-timeout. */
    HELD,
    /** Was held, then renewals stopped succeeding or another server took over: must not act. */
    LOST,
    /** Held without renewing while the daemon is stopped with resources left running. */
    PARKED
}
