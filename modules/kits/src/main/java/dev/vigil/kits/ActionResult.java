package dev.vigil.kits;

import java.util.Optional;

/**
 * The outcome of restore, remove or recover: success with a short summary of what was done, or a
 * {@link Failure}. Expected failures are values, never exceptions.
 */
public record ActionResult(Optional<Failure> failure, String message) {

    public static ActionResult success(String message) {
        return new ActionResult(Optional.empty(), message);
    }

    public static ActionResult failed(FailureKind kind, String reason) {
        return new ActionResult(Optional.of(new Failure(kind, reason)), reason);
    }

    public static ActionResult failed(Failure failure) {
        return new ActionResult(Optional.of(failure), failure.reason());
    }

    public boolean succeeded() {
        return failure.isEmpty();
    }

    /** The failure's kind; empty on success. */
    public Optional<FailureKind> kind() {
        return failure.map(Failure::kind);
    }

    @Override
    public String toString() {
        return failure.map(Failure::toString).orElse("OK: " + message);
    }
}
