package dev.vigil.kits;

import java.util.Optional;

/**
 * The outcome of a quickCheck: healthy, or failed with the event that names the failure for local
 * recovery ({@code ip,pingfail}) and a {@link Failure} whose kind says whether recovery can help.
 */
public record CheckResult(Optional<KitEvent> event, Optional<Failure> failure) {

    private static final CheckResult HEALTHY = new CheckResult(Optional.empty(), Optional.empty());

    public static CheckResult healthy() {
        return HEALTHY;
    }

    public static CheckResult failed(KitEvent event, FailureKind kind, String reason) {
        return new CheckResult(Optional.of(event), Optional.of(new Failure(kind, reason)));
    }

    public boolean isHealthy() {
        return failure.isEmpty();
    }

    /** The failure's kind; empty when healthy. */
    public Optional<FailureKind> kind() {
        return failure.map(Failure::kind);
    }

    @Override
    public String toString() {
        return isHealthy() ? "healthy" : event.orElseThrow() + " " + failure.orElseThrow();
    }
}
