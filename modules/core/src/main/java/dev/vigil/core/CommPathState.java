package dev.vigil.core;

/** State of one communication path (heartbeat channel) between two servers. */
public enum CommPathState {
    ALIVE, DEAD
}
