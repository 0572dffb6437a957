package dev.vigil.core.status;

import dev.vigil.core.CommPathState;

/**
 * One comm path as seen from the server that reports it: to which server, its type (TCP), the
 * local and remote addresses, its state, its priority (1 = the path used for messages) and how
 * many times it went down.
 */
public record CommPathStatus(String to, String type, String localAddress, String remoteAddress, CommPathState state,
                             int priority, int commDowns) {
}
