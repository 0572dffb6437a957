package dev.vigil.core.placement;

import dev.vigil.core.ShutdownStrategy;

/**
 * How the daemon on a server is being stopped ({@code lkstop} and its options). PLAIN follows
 * the server's shutdown strategy; {@code -n} switches over regardless; {@code -f} leaves the
 * hierarchies running, unprotected, for a later {@code lkstart} to adopt.
 */
public enum StopMode {
    PLAIN("lkstop"),
    SWITCHOVER("lkstop -n"),
    LEAVE_RUNNING("lkstop -f");

    private final String command;

    StopMode(String command) {
        this.command = command;
    }

    public String command() {
        return command;
    }

    /** The strategy this stop applies (LEAVE_RUNNING has none: nothing is moved or stopped). */
    public ShutdownStrategy effective(ShutdownStrategy configured) {
        return this == SWITCHOVER ? ShutdownStrategy.SWITCHOVER : configured;
    }
}
