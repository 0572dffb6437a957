package dev.vigil.daemon;

import java.util.Optional;
import org.apache.pekko.actor.CoordinatedShutdown;

/**
 * The daemon's own reasons for running {@link CoordinatedShutdown}. {@link Daemon} reads the
 * reason after the actor system has terminated to decide between exiting (these) and starting a
 * fresh cluster member (Pekko's downing reasons).
 */
public sealed interface StopReason extends CoordinatedShutdown.Reason {

    /**
     * Whether a stop for {@code reason} takes this server's hierarchies out of service first:
     * yes for {@code lkstop} (mode remove; switchover too, as nothing moves the hierarchies to a
     * backup yet), a signal or any other stop; no for {@code lkstop -f} (leave-running), for a
     * daemon that could not start (it may share the server with a running one), and for a server
     * downed by the cluster, whose next incarnation adopts what still runs.
     */
    static boolean takesHierarchiesOutOfService(Optional<CoordinatedShutdown.Reason> reason) {
        if (reason.isEmpty()) {
            return true;
        }
        CoordinatedShutdown.Reason r = reason.get();
        if (r instanceof AdminRequest request) {
            return request.mode() != ShutdownMode.LEAVE_RUNNING;
        }
        return !(r instanceof StartupFailed) && r != CoordinatedShutdown.clusterDowningReason()
                && r != CoordinatedShutdown.clusterLeavingReason();
    }

    /** Exit code of the daemon process when it stops for this reason. */
    int exitCode();

    /** An operator asked through the admin API. */
    record AdminRequest(ShutdownMode mode) implements StopReason {
        @Override
        public int exitCode() {
            return 0;
        }
    }

    /** The daemon could not start a part it needs (e.g. the admin API's port is taken). */
    record StartupFailed(String message) implements StopReason {
        @Override
        public int exitCode() {
            return 1;
        }
    }
}
