package dev.vigil.kits;

import dev.vigil.core.config.ActionTimeouts;
import dev.vigil.core.config.ResourceConfig;
import dev.vigil.core.config.spec.FilesystemSpec;
import dev.vigil.core.config.spec.GenericSpec;
import dev.vigil.core.config.spec.IpSpec;
import dev.vigil.core.config.spec.PostgresqlSpec;
import dev.vigil.kits.filesystem.FilesystemKit;
import dev.vigil.kits.generic.GenericKit;
import dev.vigil.kits.ip.IpKit;
import dev.vigil.kits.postgresql.PostgresqlKit;
import dev.vigil.kits.process.CommandRunner;

/** The one place that maps a configured resource to its kit; a new kit is a new branch here. */
public final class Kits {
    private Kits() {
    }

    public static RecoveryKit create(ResourceConfig resource, KitOptions options) {
        if (resource.spec() == null || resource.policy() == null) {
            throw new IllegalArgumentException("resource " + resource.tag() + " is not fully configured: " + resource);
        }
        CommandRunner runner = new CommandRunner(options.commandPrefix());
        ActionTimeouts timeouts = resource.policy().timeouts();
        if (resource.spec() instanceof IpSpec ip) {
            return new IpKit(resource.tag(), ip, timeouts, runner);
        }
        if (resource.spec() instanceof FilesystemSpec fs) {
            return new FilesystemKit(resource.tag(), fs, timeouts, runner);
        }
        if (resource.spec() instanceof PostgresqlSpec pg) {
            return new PostgresqlKit(resource.tag(), pg, timeouts, runner);
        }
        GenericSpec gen = (GenericSpec) resource.spec();
        return new GenericKit(resource.tag(), resource.id(), gen, timeouts, runner);
    }
}
