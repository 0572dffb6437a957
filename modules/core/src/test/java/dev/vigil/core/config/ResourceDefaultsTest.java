package dev.vigil.core.config;

import static dev.vigil.core.config.ConfigFixture.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.core.Switchback;
import dev.vigil.core.config.spec.FilesystemSpec;
import dev.vigil.core.config.spec.IpSpec;
import dev.vigil.core.config.spec.PostgresqlSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** resource-defaults.<type> and hierarchy-defaults: operator defaults beneath every entry. */
class ResourceDefaultsTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    /** A hierarchy "pg" with an IP (own interface eth2), a filesystem and two PostgreSQL resources; starts at line 4. */
    private static final String HIERARCHY = """
              hierarchies = [ {
                tag = pg, priorities { n1 = 1, n2 = 2 }
                resources = [
                  { tag = ip, type = ip, address = "10.200.0.100", interface = eth2 }
                  { tag = ip2, type = ip, address = "10.200.0.101" }
                  { tag = fs, type = filesystem, device = "/dev/sdb1", mount-point = "/share" }
                  { tag = pg2, type = postgresql, data-dir = "/share/data2", depends-on = [fs] }
                  { tag = pg, type = postgresql, data-dir = "/share/data", port = 5499, depends-on = [ip, ip2, pg2] }
                ] } ]
            """;

    @TempDir
    Path dir;
    ConfigFixture f;

    @BeforeEach
    void setUp() {
        f = new ConfigFixture(dir);
    }

    @Test
    void resourceDefaultsOverrideTheBuiltInDefaultsAndEntriesOverrideThem() {
        VigilConfig c = f.load(vigil(HIERARCHY + """
                  resource-defaults {
                    ip { interface = eth1, prefix-length = 16, ping-list = ["10.200.0.254"] }
                    filesystem { fs-type = xfs, fsck = false }
                    postgresql { port = 5433, bin-dir = "/usr/lib/postgresql/16/bin", password-file = "/etc/vigil/pg.pass" }
                  }
                """));
        HierarchyConfig h = c.hierarchies().get(0);
        assertEquals(new IpSpec("10.200.0.100", 16, "eth2", List.of("10.200.0.254"), 3, SECOND, true, Duration.ofMillis(200), 2),
                h.resource("ip").orElseThrow().spec());
        assertEquals(new IpSpec("10.200.0.101", 16, "eth1", List.of("10.200.0.254"), 3, SECOND, true, Duration.ofMillis(200), 2),
                h.resource("ip2").orElseThrow().spec());
        assertEquals(new FilesystemSpec("/dev/sdb1", "/share", "xfs", "rw", false, 3, Duration.ofSeconds(3)),
                h.resource("fs").orElseThrow().spec());
        assertEquals(new PostgresqlSpec("/share/data2", 5433, "postgres", "/usr/lib/postgresql/16/bin", "postgres",
                Optional.of("/etc/vigil/pg.pass"), Duration.ofSeconds(2), Duration.ofSeconds(60), Optional.empty()),
                h.resource("pg2").orElseThrow().spec());
        assertEquals(5499, ((PostgresqlSpec) h.resource("pg").orElseThrow().spec()).port());
    }

    @Test
    void unknownKeysInResourceDefaultsAreReportedWithTheKeysOfTheType() {
        List<String> problems = f.problems(vigil("""
                  resource-defaults {
                    postgresql { prot = 5433 }
                    ip { colour = blue }
                    nfs { server = filer }
                  }
                """));
        assertEquals(List.of(
                "vigil.conf:5: vigil.resource-defaults.postgresql.prot: unknown key (did you mean 'port'?)",
                "vigil.conf:6: vigil.resource-defaults.ip.colour: unknown key (known keys: address, announce-count,"
                        + " check-interval, check-unique, dad-wait, interface, local-recovery-attempts, ping-list,"
                        + " ping-timeout, ping-tries, prefix-length, timeouts)",
                "vigil.conf:7: vigil.resource-defaults.nfs: unknown key (known keys: filesystem, generic, ip, postgresql)"),
                problems);
    }

    @Test
    void badDefaultIsReportedOnceUnderItsDefaultsKey() {
        List<String> problems = f.problems(vigil(HIERARCHY + """
                  resource-defaults.postgresql.port = 0
                """));
        assertEquals(List.of("vigil.conf:13: vigil.resource-defaults.postgresql.port: 0 is out of range (1 to 65535)"),
                problems);
    }

    @Test
    void resourceDefaultsForATypeThatIsNotAnObjectIsReportedAndTheBuiltInDefaultsStillApply() {
        assertEquals(List.of("vigil.conf:13: vigil.resource-defaults.ip: expected an object { ... } but found \"eth1\""),
                f.problems(vigil(HIERARCHY + "  resource-defaults.ip = eth1\n")));
    }

    @Test
    void hierarchyDefaultsSwitchbackAppliesUnlessTheHierarchySetsItsOwn() {
        VigilConfig c = f.load(vigil("""
                  hierarchy-defaults.switchback = automatic
                  hierarchies = [
                    { tag = a, priorities { n1 = 1 }, resources = [ { tag = a, type = ip, address = "10.200.0.100" } ] }
                    { tag = b, switchback = intelligent, priorities { n2 = 1 }, resources = [
                      { tag = b, type = ip, address = "10.200.0.101" } ] }
                  ]
                """));
        assertEquals(Switchback.AUTOMATIC, c.hierarchy("a").orElseThrow().switchback());
        assertEquals(Switchback.INTELLIGENT, c.hierarchy("b").orElseThrow().switchback());
    }
}
