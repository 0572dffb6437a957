package dev.vigil.core.placement;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one placement decision: the desired owner (or none) with its generation, the
 * step each server of the priority list must take, and the one-line reason that goes to the
 * log, status, SNMP and JMX. {@code refusal} answers an operator request that was not followed.
 */
public record Decision(Optional<String> owner, long generation, boolean ownerChanged, Map<String, Step> steps,
                       String reason, Optional<String> refusal) {

    public Decision {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(refusal, "refusal");
        steps = Map.copyOf(steps);
        long running = steps.values().stream().filter(Step::runs).count();
        if (running > 1) {
            throw new IllegalStateException("two servers would run the hierarchy: " + steps);
        }
    }

    /** The step of {@code server} (NOTHING for a server outside the priority list). */
    public Step step(String server) {
        return steps.getOrDefault(server, Step.NOTHING);
    }
}
