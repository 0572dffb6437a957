package dev.vigil.kits;

import java.util.Objects;

/** A failed action or check: its kind (what to do next) and a reason an operator can act on. */
public record Failure(FailureKind kind, String reason) {
    public Failure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return kind + ": " + reason;
    }
}
