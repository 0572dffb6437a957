package dev.vigil.daemon.cluster;

import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.placement.Claim;
import dev.vigil.core.placement.Shutdown;
import dev.vigil.core.status.CommPathStatus;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.daemon.CborSerializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one server says about itself, published to every other server: its comm paths as it sees
 * them, its resource states and its shutdown strategy. Reports are ordered by
 * ({@code incarnation}, {@code seq}): a server restarted (or rejoined after being downed) starts a
 * new, later incarnation, and within one incarnation every publication has a higher {@code seq},
 * so a report delayed on the wire never overwrites a newer one.
 *
 * @param incarnation when the reporting actor system started (epoch milliseconds)
 * @param seq         publication number within the incarnation, from 1
 * @param resources   resource tag → state, in configuration order
 * @param entitled    the server may run hierarchies now: it sees a quorum, or the disk lease decides
 * @param shutdown    the server is stopping, and how (lkstop, -n, -f)
 * @param claims      hierarchy tag → the server's placement claim about it
 */
public record ServerReport(String server, long incarnation, long seq, Instant reportedAt,
                           ShutdownStrategy shutdownStrategy, List<CommPathStatus> commPaths,
                           Map<String, ResourceStatus> resources, boolean entitled, Optional<Shutdown> shutdown,
                           Map<String, Claim> claims) implements CborSerializable {

    public ServerReport {
        shutdown = shutdown == null ? Optional.empty() : shutdown;
        claims = claims == null ? Map.of() : claims;
    }

    /** A report with no placement facts yet: not entitled, not stopping, no claims. */
    public ServerReport(String server, long incarnation, long seq, Instant reportedAt, ShutdownStrategy shutdownStrategy,
                        List<CommPathStatus> commPaths, Map<String, ResourceStatus> resources) {
        this(server, incarnation, seq, reportedAt, shutdownStrategy, commPaths, resources, false, Optional.empty(),
                Map.of());
    }

    /** This server's claim about {@code tag}: what it knows of the hierarchy (unknown when it said nothing). */
    public Claim claim(String tag) {
        return claims.getOrDefault(tag, Claim.unknown());
    }

    /** True when this report is more recent than {@code other} (which may be null: nothing known yet). */
    public boolean newerThan(ServerReport other) {
        if (other == null) {
            return true;
        }
        if (incarnation != other.incarnation) {
            return incarnation > other.incarnation;
        }
        return seq > other.seq;
    }
}
