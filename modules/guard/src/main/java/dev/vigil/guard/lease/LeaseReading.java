package dev.vigil.guard.lease;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One read of all server slots of a lease, each with its locally observed staleness. */
record LeaseReading(List<Seen> slots, long startNanos, long endNanos, int ownIndex) {

    /** A slot in this reading. {@code expired}: non-free and unchanged for longer than its threshold. */
    record Seen(int index, LeaseSlot.Decoded decoded, long staleNanos, boolean expired) {
        boolean valid() {
            return decoded.valid();
        }

        LeaseSlot slot() {
            return decoded.slot();
        }

        long signature() {
            return decoded.signature();
        }

        boolean is(SlotState state) {
            return valid() && slot().state() == state;
        }

        /** A slot that may stand for a running owner: HELD and not expired, or unreadable and not expired. */
        boolean liveHolderOrUnknown() {
            return !expired && (!valid() || slot().state() == SlotState.HELD);
        }

        String who() {
            return valid() && !slot().serverName().isEmpty() ? slot().serverName() : "server index " + index;
        }
    }

    Seen own() {
        return slots.get(ownIndex);
    }

    List<Seen> others() {
        List<Seen> others = new ArrayList<>(slots.size());
        for (Seen s : slots) {
            if (s.index() != ownIndex) {
                others.add(s);
            }
        }
        return others;
    }

    /** The highest generation any readable slot carries (its own included). */
    long maxGeneration() {
        return slots.stream().filter(Seen::valid).mapToLong(s -> s.slot().generation()).max().orElse(0);
    }

    long maxOtherGeneration() {
        return others().stream().filter(Seen::valid).mapToLong(s -> s.slot().generation()).max().orElse(0);
    }

    /** The other server that holds (live HELD) or parked the lease, the highest generation first. */
    Optional<Seen> otherHolder() {
        Seen best = null;
        for (Seen s : slots) {
            if (s.index() != ownIndex && ((s.is(SlotState.HELD) && !s.expired()) || s.is(SlotState.PARKED))
                    && (best == null || s.slot().generation() > best.slot().generation())) {
                best = s;
            }
        }
        return Optional.ofNullable(best);
    }
}
