package dev.vigil.core.placement;

import dev.vigil.core.ServerState;
import java.util.Objects;
import java.util.Optional;

/**
 * What the deciding server knows about one server, for one hierarchy.
 *
 * @param state     ALIVE while at least one comm path to it is ALIVE; DEAD when all are down
 * @param commPaths how many comm paths lead to it (for the reason line: "down on all 2 comm paths")
 * @param entitled  it may run hierarchies: it is in the quorum and can hold the disk lease
 * @param fenced    it cannot be running the hierarchy: its lease slot is free, or expired (it has
 *                  self-fenced). Only consulted while it is DEAD.
 * @param report    the hierarchy's state there, as it last reported it
 * @param failure   a failure there remembered until an operator restore there or its restart
 * @param shutdown  an orderly stop it announced (kept after it is gone, until it starts again)
 * @param rejoined  it joined the cluster since the previous decision (automatic switchback)
 */
public record ServerView(String name, ServerState state, int commPaths, boolean entitled, boolean fenced,
                         HierarchyReport report, Optional<Failure> failure, Optional<Shutdown> shutdown,
                         boolean rejoined) {

    public ServerView {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(shutdown, "shutdown");
        if (report == HierarchyReport.FAILED && failure.isEmpty()) {
            throw new IllegalArgumentException("server " + name + " reports FAILED without the failure");
        }
    }

    /** An ALIVE, entitled server on 2 comm paths where the hierarchy is out of service. */
    public static ServerView healthy(String name) {
        return new ServerView(name, ServerState.ALIVE, 2, true, false, HierarchyReport.OUT_OF_SERVICE,
                Optional.empty(), Optional.empty(), false);
    }

    public boolean alive() {
        return state == ServerState.ALIVE;
    }

    public ServerView withState(ServerState s) {
        return new ServerView(name, s, commPaths, entitled, fenced, report, failure, shutdown, rejoined);
    }

    public ServerView withCommPaths(int n) {
        return new ServerView(name, state, n, entitled, fenced, report, failure, shutdown, rejoined);
    }

    public ServerView withEntitled(boolean e) {
        return new ServerView(name, state, commPaths, e, fenced, report, failure, shutdown, rejoined);
    }

    public ServerView withFenced(boolean f) {
        return new ServerView(name, state, commPaths, entitled, f, report, failure, shutdown, rejoined);
    }

    public ServerView withReport(HierarchyReport r) {
        return new ServerView(name, state, commPaths, entitled, fenced, r, failure, shutdown, rejoined);
    }

    /** Reports FAILED with this failure, which the cluster remembers. */
    public ServerView failedWith(FailureKind kind, String reason) {
        return new ServerView(name, state, commPaths, entitled, fenced, HierarchyReport.FAILED,
                Optional.of(new Failure(kind, reason)), shutdown, rejoined);
    }

    public ServerView withShutdown(Shutdown s) {
        return new ServerView(name, state, commPaths, entitled, fenced, report, failure, Optional.of(s), rejoined);
    }

    public ServerView withRejoined(boolean j) {
        return new ServerView(name, state, commPaths, entitled, fenced, report, failure, shutdown, j);
    }
}
