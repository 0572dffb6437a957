package dev.vigil.core.placement;

import dev.vigil.core.ShutdownStrategy;
import java.util.Objects;

/**
 * An orderly stop of the daemon on a server, as that server announced it. The cluster keeps it
 * after the server is gone (until it starts again), because an orderly stop must not look like
 * a crash: a server stopped with "do not switchover" or {@code -f} is not failed over.
 */
public record Shutdown(StopMode mode, ShutdownStrategy strategy) {

    public Shutdown {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(strategy, "strategy");
    }

    public boolean leavesRunning() {
        return mode == StopMode.LEAVE_RUNNING;
    }

    public boolean switchesOver() {
        return !leavesRunning() && mode.effective(strategy) == ShutdownStrategy.SWITCHOVER;
    }

    /** "lkstop -n", "shutdown strategy: switchover", "shutdown strategy: do not switchover", "lkstop -f". */
    public String describe() {
        return mode == StopMode.PLAIN ? "shutdown strategy: " + strategy.words() : mode.command();
    }
}
