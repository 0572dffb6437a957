package dev.vigil.kits;

import dev.vigil.core.config.VigilConfig;
import java.util.List;

/**
 * What {@link Kits#create} needs besides the resource's own configuration: the command prefix
 * every kit command runs behind — empty on a real server; {@code ip netns exec n1} or
 * {@code nsenter -t PID -m} on a test bed, to act inside another namespace. Each kit's tunables
 * and timeouts are part of the resource's configuration ({@code ResourceConfig.spec()} and
 * {@code policy()}), whose defaults live in reference.conf.
 */
public record KitOptions(List<String> commandPrefix) {
    public KitOptions {
        commandPrefix = List.copyOf(commandPrefix);
    }

    /** The options a daemon runs its kits with: {@code vigil.kits}. */
    public static KitOptions of(VigilConfig config) {
        return new KitOptions(config.kits().commandPrefix());
    }

    /** Commands run in the daemon's own namespaces. */
    public static KitOptions local() {
        return new KitOptions(List.of());
    }
}
