package dev.vigil.daemon.cluster;

import dev.vigil.core.ServerState;
import dev.vigil.core.config.ClusterSettings;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.placement.Claim;
import dev.vigil.core.placement.Decision;
import dev.vigil.core.placement.HierarchyReport;
import dev.vigil.core.placement.OwnerRecord;
import dev.vigil.core.placement.PlacementInput;
import dev.vigil.core.placement.PlacementPolicy;
import dev.vigil.core.placement.ServerView;
import dev.vigil.core.placement.Shutdown;
import dev.vigil.core.placement.Step;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What one hierarchy's placement makes of the latest reports of every server: the merged ownership
 * record, the {@link ServerView}s the policy decides from (who is ALIVE, entitled, fenced, what
 * runs where), the quorum, and whether every server acknowledges an ownership record. Kept apart
 * from {@link HierarchyPlacement}, which decides and acts, so each reads in one sitting; not
 * thread-safe, owned by that actor.
 */
final class PlacementFacts {
    private final HierarchyConfig hierarchy;
    private final ClusterSettings cluster;
    private final String self;
    private final int total;
    private final boolean leaseMode;
    private final Duration fenceWait;
    private final Predicate<String> leaseExpired;
    /** Since when (System.nanoTime) each server has been DEAD as seen from here. */
    private final Map<String, Long> deadSince = new HashMap<>();
    /** Each server's incarnation when the current generation was first seen (for automatic switchback). */
    private final Map<String, Long> incarnationAtGeneration = new HashMap<>();
    private long generationSeen = -1;
    private StatusBoard.Reports facts = new StatusBoard.Reports(Map.of(), Map.of(), Map.of());
    private long now;

    /**
     * @param fenceWait    how long a DEAD server must have been DEAD to count as fenced (no lease)
     * @param leaseExpired whether a server's hold on the hierarchy's disk lease has expired, as observed here
     */
    PlacementFacts(HierarchyConfig hierarchy, ClusterSettings cluster, String self, Duration fenceWait,
                   Predicate<String> leaseExpired) {
        this.hierarchy = hierarchy;
        this.cluster = cluster;
        this.self = self;
        this.total = cluster.servers().size();
        this.leaseMode = cluster.fencing().leaseMode();
        this.fenceWait = fenceWait;
        this.leaseExpired = leaseExpired;
    }

    /** The latest reports, read at {@code nowNanos}. */
    void see(StatusBoard.Reports reports, long nowNanos) {
        this.facts = reports;
        this.now = nowNanos;
        reports.states().forEach((server, state) -> {
            if (state == ServerState.ALIVE) {
                deadSince.remove(server);
            } else {
                deadSince.putIfAbsent(server, nowNanos);
            }
        });
    }

    int total() {
        return total;
    }

    /** Every configured server is ALIVE as seen from here, and has reported at least once. */
    boolean allAliveAndReported() {
        return facts != null && facts.states().size() == total
                && facts.states().values().stream().allMatch(s -> s == ServerState.ALIVE)
                && facts.reports().keySet().containsAll(facts.states().keySet());
    }

    /** Empty when every ALIVE server of the hierarchy acknowledges {@code record}, else who has not yet. */
    Optional<String> unacknowledged(OwnerRecord record) {
        for (String server : hierarchy.priorities().keySet()) {
            if (server.equals(self) || facts.states().getOrDefault(server, ServerState.DEAD) != ServerState.ALIVE
                    || leaseExpired(server)) {
                continue;
            }
            ServerReport r = facts.reports().get(server);
            if (r == null || !r.claim(hierarchy.tag()).acknowledges(record)) {
                return Optional.of("waiting for " + server + " to acknowledge " + self + " as owner (generation "
                        + record.generation() + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * The server that owned the hierarchy before {@code record} when it is DEAD now (a failover), as
     * the other servers' claims remember it: the highest generation below the record's.
     */
    Optional<String> deadPreviousOwner(OwnerRecord record) {
        return facts.reports().values().stream().map(r -> r.claim(hierarchy.tag()).owner())
                .filter(o -> o.generation() < record.generation() && o.owner().isPresent())
                .max(java.util.Comparator.comparingLong(OwnerRecord::generation))
                .flatMap(OwnerRecord::owner)
                .filter(o -> !o.equals(self) && facts.states().getOrDefault(o, ServerState.DEAD) != ServerState.ALIVE);
    }

    /** Whether another server reports the hierarchy in service (a switchover has landed). */
    boolean inServiceElsewhere() {
        return facts.reports().values().stream().anyMatch(r -> !r.server().equals(self)
                && r.claim(hierarchy.tag()).report() == HierarchyReport.IN_SERVICE);
    }

    /**
     * A takeover from a DEAD owner is recorded only once this server can restore at once (the dead
     * owner fenced): a server that was DEAD only for a moment (a flapping link) must find its
     * ownership unchanged when it comes back, instead of being made to remove what it runs.
     */
    boolean takingOverFromTheDeadTooEarly(Decision d, OwnerRecord current) {
        boolean toMe = d.ownerChanged() && d.owner().filter(self::equals).isPresent();
        boolean fromTheDead = current.owner().filter(o -> !o.equals(self)
                && facts.states().getOrDefault(o, ServerState.DEAD) != ServerState.ALIVE).isPresent();
        return toMe && fromTheDead && d.step(self) != Step.RESTORE;
    }

    /**
     * With a disk lease: the owner this server would take the hierarchy over from if the owner's
     * server died now (the policy asked with that owner DEAD and fenced), so that its lease keeper
     * can start acquiring as soon as the owner misses renewals. Empty when the hierarchy would go
     * elsewhere, or nowhere.
     */
    Optional<String> successorOf(PlacementInput input) {
        Optional<String> owner = input.owner().owner().filter(o -> !o.equals(self));
        if (!leaseMode || owner.isEmpty() || input.maintenance() || input.operatorRemoved()) {
            return Optional.empty();
        }
        List<ServerView> views = input.servers().stream().map(v -> !v.name().equals(owner.get()) ? v
                : new ServerView(v.name(), ServerState.DEAD, v.commPaths(), false, true, v.report(), v.failure(),
                        v.shutdown(), false)).toList();
        Decision hypothetical = PlacementPolicy.decide(new PlacementInput(input.hierarchy(), views, input.owner(),
                Optional.empty(), input.maintenance(), input.operatorRemoved(), input.misconfiguredFailsOver()));
        return hypothetical.owner().filter(self::equals).isPresent() && hypothetical.step(self) == Step.RESTORE
                ? owner : Optional.empty();
    }

    /** Strict majority of the configured servers ALIVE as seen from here (a lone server always). */
    boolean quorate() {
        long alive = facts.states().values().stream().filter(s -> s == ServerState.ALIVE).count();
        return total == 1 || alive * 2 > total;
    }

    /**
     * Whether what runs here may go on running: with a lease, while it is held; without, unless the
     * servers this one cannot see could form a majority of their own (and so take it over).
     */
    boolean mayKeepRunning(boolean leaseHolds) {
        if (leaseMode) {
            return leaseHolds;
        }
        long unseen = facts.states().values().stream().filter(s -> s != ServerState.ALIVE).count();
        return unseen * 2 <= total;
    }

    Claim merged(Claim own) {
        Claim best = own;
        var order = Claim.order(hierarchy.priorities());
        for (ServerReport r : facts.reports().values()) {
            if (r.server().equals(self) || !hierarchy.priorities().containsKey(r.server()) && r.claims().isEmpty()) {
                continue;
            }
            Claim c = r.claim(hierarchy.tag());
            if (c.owner().owner().filter(o -> !hierarchy.priorities().containsKey(o)).isPresent()) {
                continue;
            }
            if (order.compare(c, best) > 0) {
                best = c;
            }
        }
        return best;
    }

    void trackRejoins(OwnerRecord record) {
        if (record.generation() != generationSeen) {
            generationSeen = record.generation();
            incarnationAtGeneration.clear();
            facts.reports().forEach((server, r) -> incarnationAtGeneration.put(server, r.incarnation()));
        }
    }

    List<ServerView> views(HierarchyPlacement.Local local, Optional<Shutdown> stopping, boolean selfEntitled,
                          boolean mayKeep, boolean leaseHeld, OwnerRecord record) {
        return hierarchy.priorities().keySet().stream().map(server -> {
            if (server.equals(self)) {
                HierarchyReport report = local.busy() || local.report() == HierarchyReport.UNKNOWN
                        ? HierarchyReport.STOPPING : local.report();
                boolean incumbent = local.anyRunning() && mayKeep;
                return new ServerView(self, ServerState.ALIVE, total, selfEntitled || incumbent, false,
                        report, local.failure().filter(f -> report == HierarchyReport.FAILED), stopping, false);
            }
            ServerReport r = facts.reports().get(server);
            ServerState state = facts.states().getOrDefault(server, ServerState.DEAD);
            int paths = cluster.pathCount(self, server);
            if (r == null) {
                // Never heard from: ALIVE, it runs nothing yet (UNKNOWN); DEAD, fenced like any other DEAD server.
                boolean fenced = state != ServerState.ALIVE && (leaseMode ? leaseHeld : deadLongEnough(server));
                return new ServerView(server, state, paths, false, fenced, HierarchyReport.UNKNOWN, Optional.empty(),
                        Optional.empty(), false);
            }
            Claim c = sane(r.claim(hierarchy.tag()));
            boolean rejoined = incarnationAtGeneration.containsKey(server)
                    && r.incarnation() > incarnationAtGeneration.get(server)
                    || !incarnationAtGeneration.containsKey(server);
            if (leaseExpired(server)) {
                // Its disk lease expired: it stopped renewing and its guard has fenced it; treat it as gone.
                return new ServerView(server, ServerState.DEAD, paths, false, true, c.report(),
                        c.failure().filter(f -> c.report() == HierarchyReport.FAILED), r.shutdown(), false);
            }
            // The owner's own report may predate its ownership (another server's report brought the
            // record first, on a cluster just formed): its "not entitled" then says nothing yet.
            boolean reportPredatesOwnership = record.owner().filter(server::equals).isPresent()
                    && c.owner().generation() < record.generation();
            return new ServerView(server, state, paths, r.entitled() || reportPredatesOwnership,
                    fenced(server, r, c, leaseHeld), c.report(),
                    c.failure().filter(f -> c.report() == HierarchyReport.FAILED), r.shutdown(),
                    rejoined && state == ServerState.ALIVE);
        }).toList();
    }

    boolean leaseExpired(String server) {
        return leaseExpired.test(server);
    }

    /** A FAILED claim without its failure (which a correct server never sends) is read as out of service. */
    private static Claim sane(Claim c) {
        return c.report() == HierarchyReport.FAILED && c.failure().isEmpty()
                ? new Claim(c.owner(), c.removedByOperator(), HierarchyReport.OUT_OF_SERVICE, c.failure(), c.clear()) : c;
    }

    /**
     * Whether a DEAD peer surely runs nothing of the hierarchy: it left after taking it out of
     * service, or (with a lease) this server holds the lease, or (without) it has been DEAD long
     * enough for its own guard to have fenced it while this server sees a majority.
     */
    private boolean fenced(String server, ServerReport r, Claim c, boolean leaseHeld) {
        if (r.shutdown().isPresent() && c.report().surelyStopped() && !r.shutdown().get().leavesRunning()) {
            return true;
        }
        Long since = deadSince.get(server);
        if (since == null) {
            return false;
        }
        if (leaseMode) {
            return leaseHeld;
        }
        return deadLongEnough(server);
    }

    /** Without a lease: DEAD long enough for its own guard to have fenced it, while this server sees a majority. */
    private boolean deadLongEnough(String server) {
        Long since = deadSince.get(server);
        return since != null && now - since >= fenceWait.toNanos() && aliveMajority();
    }

    private boolean aliveMajority() {
        long dead = deadSince.size();
        return total == 1 || (total - dead) * 2 > total;
    }

    /** This server's acknowledgement of {@code record}: every server but the owner surely runs nothing, as seen here. */
    boolean clear(OwnerRecord record, HierarchyPlacement.Local local) {
        for (String server : hierarchy.priorities().keySet()) {
            if (record.owner().filter(server::equals).isPresent()) {
                continue;
            }
            if (server.equals(self)) {
                if (local.anyRunning() || local.busy()) {
                    return false;
                }
                continue;
            }
            if (leaseExpired(server)) {
                continue;
            }
            ServerReport r = facts.reports().get(server);
            boolean alive = facts.states().getOrDefault(server, ServerState.DEAD) == ServerState.ALIVE;
            if (alive && (r == null || !r.claim(hierarchy.tag()).report().surelyStopped())) {
                return false;
            }
            if (!alive && !leaseMode && (r == null || !fenced(server, r, r.claim(hierarchy.tag()), false))) {
                return false;
            }
        }
        return true;
    }

}
