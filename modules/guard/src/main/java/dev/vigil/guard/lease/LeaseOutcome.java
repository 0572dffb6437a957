package dev.vigil.guard.lease;

import java.util.List;

/**
 * What a lease operation did. Expected failures (device missing, another holder, a lost race)
 * are values with a reason, not exceptions; the daemon decides what to do with them.
 */
public sealed interface LeaseOutcome {

    /** One line for logs and status. */
    String describe();

    /** The device now carries an empty lease area for the cluster. */
    record Formatted(LeaseHeader header) implements LeaseOutcome {
        public String describe() {
            return "formatted lease device for cluster \"" + header.clusterName() + "\": " + header.slots()
                    + " server slots x " + header.maxLeases() + " leases, " + header.totalBytes() + " bytes";
        }
    }

    /** Every slot of the lease as observed now. */
    record Observed(List<SlotView> slots) implements LeaseOutcome {
        public String describe() {
            return String.join("; ", slots.stream().map(SlotView::describe).toList());
        }
    }

    /**
     * The lease is held. The daemon may act as the owner until {@code validUntilNanos}
     * (System.nanoTime), must ARM the guard with {@code anchorNanos} before it starts anything.
     */
    record Acquired(String lease, long generation, long anchorNanos, long validUntilNanos, String note)
            implements LeaseOutcome {
        public String describe() {
            return "acquired lease \"" + lease + "\" generation " + generation + (note.isEmpty() ? "" : ": " + note);
        }
    }

    /** A renewal was written; FEED the guard with {@code anchorNanos}. */
    record Renewed(long generation, long counter, long anchorNanos, long validUntilNanos) implements LeaseOutcome {
        public String describe() {
            return "renewed generation " + generation + " (counter " + counter + ")";
        }
    }

    record Released(long generation) implements LeaseOutcome {
        public String describe() {
            return "released generation " + generation;
        }
    }

    record Parked(long generation) implements LeaseOutcome {
        public String describe() {
            return "parked generation " + generation + ": no other server will take it over until this one "
                    + "acquires or releases it";
        }
    }

    /** Not acquired; {@code holder} names the server in the way, when there is one. */
    record Refused(String reason, String holder) implements LeaseOutcome {
        public String describe() {
            return reason;
        }
    }

    /** The lease was held and is no longer: the daemon must not act as the owner. */
    record Lost(String reason) implements LeaseOutcome {
        public String describe() {
            return "lease lost: " + reason;
        }
    }

    /** The operation could not be carried out (I/O error, bad device, misconfiguration). */
    record Failed(String message) implements LeaseOutcome {
        public String describe() {
            return message;
        }
    }
}
