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
    private static RecoveryKit create(dev.vigil.core.config.spec.ResourceSpec spec) {
        return Kits.create(TestResources.resource("t", spec, TestResources.timeouts(Duration.ofSeconds(5))),
                KitOptions.local());
    }

    @Test
    void eachResourceTypeGetsItsKit() {
        Duration second = Duration.ofSeconds(1);
        assertTrue(create(new IpSpec("10.200.0.100", 24, "eth0", List.of(), 3, second, true, Duration.ofMillis(200), 2)) instanceof IpKit);
        assertTrue(create(new FilesystemSpec("/dev/sdb1", "/share", "ext4", "rw", true, 3, second))
                instanceof FilesystemKit);
        assertTrue(create(new PostgresqlSpec("/share/data", 5432, "postgres", "/usr/lib/postgresql/15/bin", "postgres",
                Optional.empty(), second, second, Optional.empty())) instanceof PostgresqlKit);
        assertTrue(create(new GenericSpec("/r", "/m", "/q", Optional.empty(), "")) instanceof GenericKit);
    }

    @Test
    void aResourceWithoutSettingsIsABug() {
        assertThrows(IllegalArgumentException.class, () -> Kits.create(
                new ResourceConfig("t", ResourceType.IP, List.of(), null, null), KitOptions.local()));
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
