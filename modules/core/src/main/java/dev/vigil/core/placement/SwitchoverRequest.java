package dev.vigil.core.placement;

import java.util.Objects;

/**
 * An operator's {@code perform_action -t TAG -a restore} on {@code server} (or "In Service" in the
 * GUI): bring the hierarchy in service there, moving it from wherever it runs.
 */
public record SwitchoverRequest(String server) {

    public SwitchoverRequest {
        Objects.requireNonNull(server, "server");
    }
}
