package dev.vigil.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vigil.core.ResourceType;
import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.config.spec.FilesystemSpec;
import dev.vigil.core.config.spec.IpSpec;
import dev.vigil.core.config.spec.PostgresqlSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sample shipped in conf/ loads without problems and describes the manual's cluster. */
class SampleConfigTest {
    /** Relative to this module, where Maven runs the tests. */
    private static final Path SAMPLE = Path.of("../../conf/vigil.conf");

    private static VigilConfig sample() {
        try {
            return ConfigLoader.load(SAMPLE);
        } catch (ConfigException e) {
            return fail("the sample " + SAMPLE + " has problems:\n" + e.getMessage());
        }
    }

    @Test
    void sampleLoadsWithoutProblemsIgnoringTheConfDReadme() {
        assertEquals(List.of(SAMPLE), sample().sources());
    }

    @Test
    void sampleIsTheManualsTwoServerPostgresqlCluster() {
        VigilConfig c = sample();
        assertEquals("n1", c.serverName());
        assertEquals(List.of(new ServerConfig("n1", "10.200.0.1", 7365), new ServerConfig("n2", "10.200.0.2", 7365)),
                c.cluster().servers());
        assertEquals(ShutdownStrategy.DO_NOT_SWITCHOVER, c.shutdownStrategy());
        assertEquals(Path.of("/var/lib/vigil/admin.token"), c.admin().tokenFile());

        HierarchyConfig h = c.hierarchy("powergres-/share/data").orElseThrow();
        assertEquals(Map.of("n1", 1, "n2", 10), h.priorities());
        assertEquals("n1", h.primary());
        assertEquals(List.of("ip-10.200.0.100", "fs-/share", "powergres-/share/data"),
                h.restoreOrder().stream().map(ResourceConfig::tag).toList());
        assertEquals(List.of(ResourceType.IP, ResourceType.FILESYSTEM, ResourceType.POSTGRESQL),
                h.resources().stream().map(ResourceConfig::type).toList());
        assertEquals(new IpSpec("10.200.0.100", 24, "eth0", List.of("10.200.0.254"), 3, Duration.ofSeconds(1), true,
                Duration.ofMillis(200), 2), h.resources().get(0).spec());
        assertEquals(new FilesystemSpec("/dev/sdb1", "/share", "ext4", "rw,noatime", true, 3, Duration.ofSeconds(3)),
                h.resources().get(1).spec());
        assertEquals(new PostgresqlSpec("/share/data", 5432, "postgres", "/usr/lib/postgresql/15/bin", "postgres",
                Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(60), Optional.empty()), h.root().spec());
        assertEquals(new ResourcePolicy(Duration.ofSeconds(2), 1, new ActionTimeouts(Duration.ofSeconds(120),
                Duration.ofSeconds(120), Duration.ofSeconds(10), Duration.ofSeconds(120))), h.root().policy());
        assertEquals(List.of(), c.kits().commandPrefix());
    }
}
