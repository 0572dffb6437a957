package dev.vigil.core.placement;

import java.util.Objects;
import java.util.Optional;

/**
 * The owner of a hierarchy as last agreed cluster-wide, with the generation of that agreement
 * (the disk lease's generation). Every change of owner, to a server or to none, takes the next
 * generation, so a stale owner holding an older one can never act again.
 */
public record OwnerRecord(Optional<String> owner, long generation) {

    public OwnerRecord {
        Objects.requireNonNull(owner, "owner");
        if (generation < 0) {
            throw new IllegalArgumentException("generation must not be negative: " + generation);
        }
    }

    public static OwnerRecord of(String server, long generation) {
        return new OwnerRecord(Optional.of(server), generation);
    }

    public static OwnerRecord none(long generation) {
        return new OwnerRecord(Optional.empty(), generation);
    }
}
