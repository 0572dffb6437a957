package dev.vigil.guard.lease;

/**
 * What a server's slot of a lease says. Only HELD entitles to run the hierarchy; PARKED is a
 * holder that stopped its daemon but left its resources running ({@code lkstop -f}), which no
 * other server may take over by waiting for staleness.
 */
public enum SlotState {
    /** Not interested in the lease. */
    FREE,
    /** Announced intent to acquire; resolved by priority against other contenders. */
    WANTED,
    /** Owns the lease while it keeps renewing. */
    HELD,
    /** Owns the lease without renewing: the daemon was stopped with its resources left running. */
    PARKED
}
