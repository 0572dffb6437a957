package dev.vigil.kits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.ResourceType;
import dev.vigil.core.config.ResourceConfig;
import dev.vigil.core.config.spec.FilesystemSpec;
import dev.vigil.core.config.spec.GenericSpec;
import dev.vigil.core.config.spec.IpSpec;
import dev.vigil.core.config.spec.PostgresqlSpec;
import dev.vigil.kits.filesystem.FilesystemKit;
import dev.vigil.kits.generic.GenericKit;
import dev.vigil.kits.ip.IpKit;
import dev.vigil.kits.postgresql.PostgresqlKit;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KitsTest {
    private static RecoveryKit create(ResourceType type, dev.vigil.core.config.spec.ResourceSpec spec) {
        return Kits.create(new ResourceConfig("t", type, List.of(), spec), KitOptions.defaults());
    }

    @Test
    void eachResourceTypeGetsItsKit() {
        assertTrue(create(ResourceType.IP, new IpSpec("10.200.0.100", 24, "eth0", List.of())) instanceof IpKit);
        assertTrue(create(ResourceType.FILESYSTEM, new FilesystemSpec("/dev/sdb1", "/share", "ext4", "rw", true))
                instanceof FilesystemKit);
        assertTrue(create(ResourceType.POSTGRESQL, new PostgresqlSpec("/share/data", 5432, "postgres",
                "/usr/lib/postgresql/15/bin", "postgres", Optional.empty())) instanceof PostgresqlKit);
        assertTrue(create(ResourceType.GENERIC, new GenericSpec("/r", "/m", "/q", Optional.empty(), "")) instanceof GenericKit);
    }

    @Test
    void aResourceWithoutSettingsIsABug() {
        assertThrows(IllegalArgumentException.class, () -> create(ResourceType.IP, null));
    }

    @Test
    void timeoutsMustBePositive() {
        assertThrows(IllegalArgumentException.class,
                () -> KitTimeouts.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }

    @Test
    void resultsPrintTheirKindAndReason() {
        assertEquals("NOT_AVAILABLE_HERE: cannot open device \"/dev/sdb1\": No such device or address",
                ActionResult.failed(FailureKind.NOT_AVAILABLE_HERE,
                        "cannot open device \"/dev/sdb1\": No such device or address").toString());
        assertEquals("ip,pingfail FAILED: no answer",
                CheckResult.failed(KitEvent.of(ResourceType.IP, "pingfail"), FailureKind.FAILED, "no answer").toString());
        assertEquals("healthy", CheckResult.healthy().toString());
    }
}
