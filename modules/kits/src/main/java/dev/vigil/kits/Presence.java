package dev.vigil.kits;

/**
 * What {@link RecoveryKit#probe()} finds on this server, without changing anything: used to adopt
 * resources left running by {@code lkstop -f} instead of restarting or duplicating them.
 */
public enum Presence {
    /** In service here and answering. */
    RUNNING,
    /** Cleanly out of service here: nothing of it is left. */
    STOPPED,
    /** Partly there or not answering (a crashed instance's leftovers, a link down): needs recovery or removal. */
    FAILED
}
