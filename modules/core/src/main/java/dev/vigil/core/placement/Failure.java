package dev.vigil.core.placement;

import java.util.Objects;

/**
 * A failure of a hierarchy on one server, remembered by the cluster until an operator restores
 * the hierarchy there or that server's daemon restarts. {@code reason} is the kit's one line,
 * e.g. {@code restore of fs-/share: cannot open device "/dev/sdb1"}.
 */
public record Failure(FailureKind kind, String reason) {

    public Failure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    /** "failed (restore of fs-/share: cannot open device ...)". */
    public String describe() {
        return kind.words() + " (" + reason + ")";
    }
}
