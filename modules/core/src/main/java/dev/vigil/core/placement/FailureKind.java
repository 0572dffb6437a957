package dev.vigil.core.placement;

/**
 * Why a hierarchy failed on a server, as the kit contract classifies it. The kind decides what
 * placement does: FAILED (local recovery exhausted) and NOT_AVAILABLE_HERE fail over;
 * MISCONFIGURED does not by default, because the same configuration fails on every server.
 */
public enum FailureKind {
    FAILED("failed"),
    NOT_AVAILABLE_HERE("cannot run it here"),
    MISCONFIGURED("misconfigured");

    private final String words;

    FailureKind(String words) {
        this.words = words;
    }

    /** How a reason line says it: "n1 failed (...)". */
    public String words() {
        return words;
    }
}
