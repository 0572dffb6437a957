package dev.vigil.core.placement;

/**
 * The hierarchy's state on one server as that server last reported it (actual state, not the
 * desired placement). Only OUT_OF_SERVICE and FAILED guarantee that nothing of it runs there.
 */
public enum HierarchyReport {
    /** ISP or ISU: running there. */
    IN_SERVICE,
    /** OSU: cleanly out of service there. */
    OUT_OF_SERVICE,
    /** OSF: out of service after a failure; the server's supervisor has removed what it could. */
    FAILED,
    /** Being taken out of service; parts may still run. */
    STOPPING,
    /** The operator put it in maintenance mode there (B7): the cluster makes no decision about it. */
    MAINTENANCE,
    /** No report from that server yet (just joined, or never seen): it may be running it. */
    UNKNOWN;

    /** Nothing of the hierarchy can be running on a server that reports this. */
    public boolean surelyStopped() {
        return this == OUT_OF_SERVICE || this == FAILED;
    }
}
