package dev.vigil.daemon.cluster.fencing;

/**
 * Whatever stops a hierarchy's resources on this server when the daemon can no longer prove, in
 * time, that it may run them — independently of the daemon's own liveness (docs/split-brain.md).
 * A hierarchy is armed before anything of it starts here and disarmed once all of it is out of
 * service; while armed, each {@link #feed} moves its deadline to {@code anchor + guard-timeout}.
 * Calls never block for long and never throw: a problem is logged and answered with false.
 */
public interface Fencing extends AutoCloseable {

    /** Protects {@code tag} from now on; {@code anchorNanos} (System.nanoTime) is the latest proof of entitlement. */
    boolean arm(String tag, long anchorNanos);

    /** A fresh proof of entitlement for {@code tag}, taken at {@code anchorNanos}. */
    boolean feed(String tag, long anchorNanos);

    /** Resources of {@code tag} came or went (a postmaster started): what a fence would stop is listed again. */
    boolean refresh(String tag, long anchorNanos);

    /** {@code tag} is out of service here: nothing left to fence. */
    boolean disarm(String tag);

    /** Stops {@code tag}'s resources now (the daemon lost its right to run them and wants them dead at once). */
    boolean fenceNow(String tag, String reason);

    /** The daemon stops for good: disconnects, and ends the guard when nothing is armed. */
    @Override
    void close();
}
