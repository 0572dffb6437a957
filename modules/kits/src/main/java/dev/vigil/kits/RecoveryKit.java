package dev.vigil.kits;

/**
 * The contract every recovery kit keeps, after the OCF resource-agent contract: five synchronous
 * actions, each bounded by its own timeout, each safe to repeat (restore of a running resource
 * succeeds, remove of a stopped one succeeds). Expected failures come back as values whose
 * {@link FailureKind} tells the daemon what to do; the kit reports, the daemon decides.
 * Calls block: the daemon runs them on its blocking dispatcher, one at a time per resource.
 */
public interface RecoveryKit {

    /** Brings the resource in service on this server (OSU/OSF to ISP). */
    ActionResult restore();

    /** Takes the resource out of service on this server, leaving nothing of it behind. */
    ActionResult remove();

    /** Checks an in-service resource; a failure names the event for local recovery. */
    CheckResult quickCheck();

    /** Repairs the resource in place after a failed check, then checks it again. */
    ActionResult recover();

    /** Says whether the resource runs here, changing nothing. */
    Presence probe();
}
