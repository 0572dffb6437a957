package dev.vigil.kits;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The contract every recovery kit keeps, after the OCF resource-agent contract: five synchronous
 * actions (plus an optional early warning, {@link #watch()}), each bounded by its own timeout, each safe to repeat (restore of a running resource
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

    /**
     * An early warning between checks, where the kit has one: a future that completes (saying
     * what it saw) when the in-service resource dies — the PostgreSQL kit watches its postmaster
     * process — so the daemon checks at once instead of at the next interval. Called, blocking,
     * after a check has passed; the caller cancels the future when it no longer needs it.
     * Empty: nothing faster than the check.
     */
    default Optional<CompletableFuture<String>> watch() {
        return Optional.empty();
    }
}
