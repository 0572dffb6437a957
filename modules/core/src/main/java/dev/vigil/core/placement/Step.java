package dev.vigil.core.placement;

/**
 * What one server must do with one hierarchy after a placement decision. At most one server of a
 * decision is KEEP or RESTORE: that is the "exactly one owner" rule made checkable.
 */
public enum Step {
    /** It is in service here and stays so (this server is the owner). */
    KEEP,
    /** Bring it in service here, bottom-up (this server is the owner and nothing else can be running it). */
    RESTORE,
    /** Take it out of service here, top-down (this server is not, or no longer, allowed to run it). */
    REMOVE,
    /** Leave it alone: not running here, or the owner waits for another server to let go. */
    NOTHING;

    /** KEEP or RESTORE: the server runs, or is about to run, the hierarchy. */
    public boolean runs() {
        return this == KEEP || this == RESTORE;
    }
}
