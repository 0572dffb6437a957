package dev.vigil.kits;

import dev.vigil.core.ResourceType;
import dev.vigil.core.config.ActionTimeouts;
import dev.vigil.core.config.ResourceConfig;
import dev.vigil.core.config.ResourcePolicy;
import dev.vigil.core.config.spec.FilesystemSpec;
import dev.vigil.core.config.spec.IpSpec;
import dev.vigil.core.config.spec.PostgresqlSpec;
import dev.vigil.core.config.spec.ResourceSpec;
import java.time.Duration;
import java.util.List;

/**
 * Resource configurations for kit tests, built directly (the daemon's tests load real
 * configuration files instead): a test states the time limits its kit needs, and the resource's
 * type follows from its spec.
 */
public final class TestResources {
    private TestResources() {
    }

    public static ActionTimeouts timeouts(Duration restore, Duration remove, Duration quickCheck, Duration recover) {
        return new ActionTimeouts(restore, remove, quickCheck, recover);
    }

    /** The same limit for every action. */
    public static ActionTimeouts timeouts(Duration each) {
        return timeouts(each, each, each, each);
    }

    /** A resource without dependencies, checked every second, one local recovery attempt. */
    public static ResourceConfig resource(String tag, ResourceSpec spec, ActionTimeouts timeouts) {
        ResourceType type = spec instanceof IpSpec ? ResourceType.IP
                : spec instanceof FilesystemSpec ? ResourceType.FILESYSTEM
                : spec instanceof PostgresqlSpec ? ResourceType.POSTGRESQL
                : ResourceType.GENERIC;
        return new ResourceConfig(tag, type, List.of(), spec, new ResourcePolicy(Duration.ofSeconds(1), 1, timeouts));
    }

    /** The kit of {@link #resource}, acting behind {@code commandPrefix}. */
    public static RecoveryKit kit(String tag, ResourceSpec spec, ActionTimeouts timeouts, List<String> commandPrefix) {
        return Kits.create(resource(tag, spec, timeouts), new KitOptions(commandPrefix));
    }
}
