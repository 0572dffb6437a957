package dev.vigil.core;

/**
 * What an orderly stop of the daemon on a server does with the hierarchies in service there.
 * DO_NOT_SWITCHOVER is the original's default: they are taken out of service and stay down.
 */
public enum ShutdownStrategy {
    DO_NOT_SWITCHOVER("do not switchover"),
    SWITCHOVER("switchover");

    private final String words;

    ShutdownStrategy(String words) {
        this.words = words;
    }

    /** The words of the detailed status line "The shutdown strategy is set to: ...". */
    public String words() {
        return words;
    }
}
