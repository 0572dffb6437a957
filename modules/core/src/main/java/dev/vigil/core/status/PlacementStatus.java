package dev.vigil.core.status;

/**
 * One hierarchy's placement as the answering server knows it: the decided owner (null: nowhere),
 * the generation of that decision, and the one-line reason of the latest decision
 * ("failing over pg to n2: n1 is DEAD on all 2 comm paths"), and whether it is in maintenance mode.
 */
public record PlacementStatus(String tag, String owner, long generation, String reason, boolean maintenance) {

    public PlacementStatus(String tag, String owner, long generation, String reason) {
        this(tag, owner, generation, reason, false);
    }
}
