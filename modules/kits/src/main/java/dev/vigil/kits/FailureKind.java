package dev.vigil.kits;

/**
 * Why an action or a check failed. The kind, not the kit, decides what happens next: the daemon
 * reads it to choose between telling the operator, recovering here and failing over.
 */
public enum FailureKind {
    /**
     * Fails the same on every server (a missing binary, a bad setting, pg_hba.conf rejecting the
     * health check): do not fail over, tell the operator.
     */
    MISCONFIGURED,
    /** This server cannot run the resource (the device cannot be opened, the link is down): fail over. */
    NOT_AVAILABLE_HERE,
    /** The resource failed here: recover locally first, fail over when local recovery fails. */
    FAILED,
    /** The action did not finish within its timeout; what it left behind is unknown. */
    TIMED_OUT
}
