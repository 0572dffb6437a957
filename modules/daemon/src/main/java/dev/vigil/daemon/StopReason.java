package dev.vigil.daemon;

import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.placement.Shutdown;
import dev.vigil.core.placement.StopMode;
import java.util.Optional;
import org.apache.pekko.actor.CoordinatedShutdown;

/**
 * The daemon's own reasons for running {@link CoordinatedShutdown}. {@link Daemon} reads the
 * reason after the actor system has terminated to decide between exiting (these) and starting a
 * fresh cluster member (Pekko's downing reasons).
 */
public sealed interface StopReason extends CoordinatedShutdown.Reason {

    /**
     * What a stop for {@code reason} does with this server's hierarchies: {@code lkstop} (mode
     * remove), a signal or any other stop follows the configured shutdown strategy; {@code lkstop -n}
     * switches over regardless; {@code lkstop -f}, and a daemon that could not start (it may share
     * the server with a running one), leave them running. A server downed by the majority takes them
     * out of service without moving them: the majority's side takes them over.
     */
    static Shutdown shutdown(Optional<CoordinatedShutdown.Reason> reason, ShutdownStrategy strategy) {
        if (reason.isEmpty()) {
            return new Shutdown(StopMode.PLAIN, strategy);
        }
        CoordinatedShutdown.Reason r = reason.get();
        if (r instanceof AdminRequest request) {
            return switch (request.mode()) {
                case REMOVE -> new Shutdown(StopMode.PLAIN, strategy);
                case SWITCHOVER -> new Shutdown(StopMode.SWITCHOVER, strategy);
                case LEAVE_RUNNING -> new Shutdown(StopMode.LEAVE_RUNNING, strategy);
            };
        }
        if (r instanceof StartupFailed) {
            return new Shutdown(StopMode.LEAVE_RUNNING, strategy);
        }
        if (r == CoordinatedShutdown.clusterDowningReason() || r == CoordinatedShutdown.clusterLeavingReason()) {
            return new Shutdown(StopMode.PLAIN, ShutdownStrategy.DO_NOT_SWITCHOVER);
        }
        return new Shutdown(StopMode.PLAIN, strategy);
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
