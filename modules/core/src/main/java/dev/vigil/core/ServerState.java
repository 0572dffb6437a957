package dev.vigil.core;

/** Whether a server is alive as seen from this server: ALIVE while at least one comm path to it is ALIVE. */
public enum ServerState {
    ALIVE, DEAD
}
