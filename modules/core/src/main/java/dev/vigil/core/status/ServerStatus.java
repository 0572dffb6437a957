package dev.vigil.core.status;

import dev.vigil.core.ServerState;
import dev.vigil.core.ShutdownStrategy;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One server in the cluster status. {@code state} is that server as seen by the server that
 * answers; everything else is the server's own last report, replicated to every server:
 * {@code reportedAt} says when it was made ({@code null} if it never reported), so a dead
 * server's last known states stay visible and recognisably old.
 *
 * @param resources resource tag → state on that server
 */
public record ServerStatus(String name, String address, ServerState state, Instant reportedAt,
                           ShutdownStrategy shutdownStrategy, List<CommPathStatus> commPaths,
                           Map<String, ResourceStatus> resources) {
}
