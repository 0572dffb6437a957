package dev.vigil.core.placement;

import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one server publishes about one hierarchy, besides its resource states: the ownership record
 * it holds (the cluster-wide decision as it knows it), whether the operator took the hierarchy out
 * of service, what the hierarchy is doing on that server, and whether, as far as that server can
 * see, nobody but the recorded owner may be running it ({@code clear}: its acknowledgement).
 * A new owner restores only when every ALIVE server acknowledges its record — so two servers that
 * claim the same generation at the same moment cannot both restore.
 *
 * @param owner             the ownership record: owner and generation
 * @param removedByOperator the owner took it out of service on request; nobody restores it until an operator's restore
 * @param report            what the hierarchy is doing on the reporting server
 * @param failure           why it FAILED there (present exactly when report is FAILED)
 * @param clear             the reporting server sees every server but the owner surely stopped or fenced
 * @param maintenance       the hierarchy is in maintenance mode: no checks, no recovery, no placement decisions
 */
public record Claim(OwnerRecord owner, boolean removedByOperator, HierarchyReport report, Optional<Failure> failure,
                    boolean clear, boolean maintenance) {

    public Claim {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(failure, "failure");
    }

    /** A claim outside maintenance mode. */
    public Claim(OwnerRecord owner, boolean removedByOperator, HierarchyReport report, Optional<Failure> failure,
                 boolean clear) {
        this(owner, removedByOperator, report, failure, clear, false);
    }

    /** What a server that knows nothing yet holds. */
    public static Claim unknown() {
        return new Claim(OwnerRecord.none(0), false, HierarchyReport.UNKNOWN, Optional.empty(), false);
    }

    /** True when this server's record acknowledges {@code record} and sees nobody else running the hierarchy. */
    public boolean acknowledges(OwnerRecord record) {
        return clear && owner.equals(record);
    }

    /**
     * Orders ownership records cluster-wide: the higher generation wins; between two records of
     * the same generation (two servers claiming at once), the owner with the better priority wins.
     */
    public static Comparator<Claim> order(Map<String, Integer> priorities) {
        Comparator<Claim> byGeneration = Comparator.comparingLong(c -> c.owner().generation());
        return byGeneration.thenComparing(c -> c.owner().owner().map(o -> -priorities.getOrDefault(o, 1000))
                        .orElse(-1001))
                .thenComparing(Claim::removedByOperator).thenComparing(Claim::maintenance);
    }
}
