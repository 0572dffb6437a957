package dev.vigil.daemon;

import org.apache.pekko.actor.CoordinatedShutdown;

/**
 * The daemon's own reasons for running {@link CoordinatedShutdown}. {@link Daemon} reads the
 * reason after the actor system has terminated to decide between exiting (these) and starting a
 * fresh cluster member (Pekko's downing reasons).
 */
public sealed interface StopReason extends CoordinatedShutdown.Reason {

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
