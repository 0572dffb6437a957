package dev.vigil.core.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What keeps a hierarchy from running on two servers at once (docs/split-brain.md): the disk lease
 * on a small shared block device, which a server must hold to run a hierarchy (the tie-breaker of
 * two-server clusters), and the fencing guard, a separate process per server that stops the
 * protected resources when the daemon stops proving its right to run them. {@code timings} are the
 * clocks of both; in quorum mode (no lease device) the guard and fence timeouts still apply.
 *
 * @param leaseDevice the block device of the disk lease; empty = quorum only
 * @param guard       whether the daemon starts and feeds the fencing guard process
 */
public record FencingSettings(Optional<Path> leaseDevice, boolean guard, LeaseTimings timings) {

    public static final FencingSettings DEFAULTS = new FencingSettings(Optional.empty(), true, LeaseTimings.DEFAULTS);

    public FencingSettings {
        Objects.requireNonNull(leaseDevice, "leaseDevice");
        Objects.requireNonNull(timings, "timings");
    }

    public boolean leaseMode() {
        return leaseDevice.isPresent();
    }
}
