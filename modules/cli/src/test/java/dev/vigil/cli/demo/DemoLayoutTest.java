package dev.vigil.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.config.ConfigLoader;
import dev.vigil.core.config.VigilConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's three configurations pass the daemon's own validation and use the documented ports. */
class DemoLayoutTest {
    @TempDir
    Path dir;

    @Test
    void eachServersConfigurationIsValidAndTheirPortsAreDistinct() throws Exception {
        Path demo = Files.createDirectories(dir.resolve("a \"quoted\" dir"));
        DemoLayout layout = new DemoLayout(demo, new DemoPorts(30000));
        Set<Integer> ports = new HashSet<>();
        for (String server : DemoLayout.SERVERS) {
            Files.createDirectories(layout.home(server));
            Files.writeString(layout.config(server), layout.configText(server, Path.of("/usr/lib/postgresql/15/bin"), "postgres"));
            VigilConfig c = ConfigLoader.load(layout.config(server));
            assertEquals(server, c.serverName());
            assertEquals(layout.stateDir(server), c.stateDir());
            assertEquals(30010 + DemoLayout.index(server), c.admin().port());
            assertEquals(30030 + DemoLayout.index(server), c.gui().port());
            assertEquals("127.0.0.1", c.gui().bind());
            assertEquals(DemoLayout.TAG, c.hierarchies().get(0).tag());
            assertTrue(c.cluster().fencing().leaseDevice().isEmpty(), "no disk lease on one machine");
            assertTrue(c.cluster().fencing().guard());
        }
        new DemoPorts(30000).uses().forEach(u -> assertTrue(ports.add(u.port()), "port used twice: " + u));
        assertEquals(DemoPorts.SPAN - 1, ports.stream().mapToInt(Integer::intValue).max().orElseThrow() - 30000);
    }
}
