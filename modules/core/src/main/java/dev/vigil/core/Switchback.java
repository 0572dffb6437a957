package dev.vigil.core;

/**
 * Switchback policy of a hierarchy. INTELLIGENT (the original's default): after a failover the
 * hierarchy stays on the backup until an operator moves it. AUTOMATIC: it moves back to the
 * highest-priority server when that server joins the cluster again.
 */
public enum Switchback {
    INTELLIGENT, AUTOMATIC
}
