package dev.vigil.core.placement;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The words of the reason lines that say why a server cannot run a hierarchy, so the
 * "in service nowhere" line names every server's cause the same way the other lines do.
 */
final class Causes {

    private Causes() {
    }

    /** "n1 down on all 2 comm paths". */
    static String down(ServerView v) {
        return v.name() + " down on all " + v.commPaths() + " comm path" + (v.commPaths() == 1 ? "" : "s");
    }

    /** Why {@code v} cannot take the hierarchy now. */
    static String of(ServerView v) {
        if (v.shutdown().isPresent()) {
            return v.name() + (v.alive() ? " shutting down (" : " stopped (") + v.shutdown().get().describe() + ")";
        }
        if (!v.alive()) {
            return down(v);
        }
        if (!v.entitled()) {
            return v.name() + " not entitled (no quorum or disk lease)";
        }
        if (v.failure().isPresent()) {
            return v.name() + " " + v.failure().get().describe();
        }
        if (v.report() == HierarchyReport.UNKNOWN) {
            return v.name() + " has not reported its state";
        }
        return v.name() + " available";
    }

    /** "X is in service nowhere: n1 failed (...), n2 down on all 2 comm paths". */
    static String nowhere(String tag, List<ServerView> order) {
        return tag + " is in service nowhere: " + order.stream().map(Causes::of).collect(Collectors.joining(", "));
    }
}
