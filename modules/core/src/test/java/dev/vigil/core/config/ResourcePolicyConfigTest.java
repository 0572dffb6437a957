package dev.vigil.core.config;

import static dev.vigil.core.config.ConfigFixture.hierarchy;
import static dev.vigil.core.config.ConfigFixture.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.core.config.spec.IpSpec;
import dev.vigil.core.config.spec.PostgresqlSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kit tunables in the configuration: check interval, local recovery attempts and timeouts of
 * every type, the type-specific ones, and vigil.kits.command-prefix — defaults from
 * reference.conf, overridden by resource-defaults, overridden by the entry, each validated.
 */
class ResourcePolicyConfigTest {
    private static final String R = "vigil.hierarchies[0].resources";

    @TempDir
    Path dir;
    ConfigFixture f;

    @BeforeEach
    void setUp() {
        f = new ConfigFixture(dir);
    }

    private static ActionTimeouts seconds(int restore, int remove, int quickCheck, int recover) {
        return new ActionTimeouts(Duration.ofSeconds(restore), Duration.ofSeconds(remove), Duration.ofSeconds(quickCheck),
                Duration.ofSeconds(recover));
    }

    @Test
    void everyTypeHasItsBuiltInCheckIntervalAttemptsAndTimeouts() {
        HierarchyConfig h = f.load(hierarchy(
                "{ tag = pg, type = postgresql, data-dir = \"/share/data\", depends-on = [ip, fs, app] }",
                "{ tag = ip, type = ip, address = \"10.200.0.100\" }",
                "{ tag = fs, type = filesystem, device = \"/dev/sdb1\", mount-point = \"/share\" }",
                ConfigFixture.generic("app"))).hierarchies().get(0);
        assertEquals(new ResourcePolicy(Duration.ofSeconds(2), 1, seconds(120, 120, 10, 120)),
                h.resource("pg").orElseThrow().policy());
        assertEquals(new ResourcePolicy(Duration.ofSeconds(2), 2, seconds(30, 15, 12, 30)),
                h.resource("ip").orElseThrow().policy());
        assertEquals(new ResourcePolicy(Duration.ofSeconds(2), 2, seconds(300, 120, 30, 300)),
                h.resource("fs").orElseThrow().policy());
        assertEquals(new ResourcePolicy(Duration.ofSeconds(5), 2, seconds(300, 300, 60, 300)),
                h.resource("app").orElseThrow().policy());
    }

    @Test
    void anEntryOverridesOneTimeoutAndKeepsTheOthersFromItsTypesDefaults() {
        VigilConfig c = f.load(vigil("""
                  resource-defaults.ip { check-interval = 500ms, timeouts { remove = 5s } }
                  hierarchies = [ { tag = ip, priorities { n1 = 1 }, resources = [
                    { tag = ip, type = ip, address = "10.200.0.100", local-recovery-attempts = 0,
                      timeouts { restore = 7s }, ping-tries = 1, ping-timeout = 2s, check-unique = false,
                      dad-wait = 300ms, announce-count = 0 } ] } ]
                """));
        ResourceConfig ip = c.hierarchies().get(0).root();
        assertEquals(new ResourcePolicy(Duration.ofMillis(500), 0, seconds(7, 5, 12, 30)), ip.policy());
        assertEquals(new IpSpec("10.200.0.100", 24, "eth0", List.of(), 1, Duration.ofSeconds(2), false, Duration.ofMillis(300), 0), ip.spec());
    }

    @Test
    void postgresqlTunablesAreRead() {
        VigilConfig c = f.load(hierarchy("{ tag = pg, type = postgresql, data-dir = \"/share/data\", check-timeout = 5s,"
                + " fast-stop-timeout = 10s, log-file = \"/var/log/pg.log\" }"));
        assertEquals(new PostgresqlSpec("/share/data", 5432, "postgres", "/usr/lib/postgresql/15/bin", "postgres",
                Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(10), Optional.of("/var/log/pg.log")),
                c.hierarchies().get(0).root().spec());
    }

    @Test
    void kitsCommandPrefixIsReadAndEmptyByDefault() {
        assertEquals(List.of(), f.load(vigil("")).kits().commandPrefix());
        assertEquals(List.of("ip", "netns", "exec", "n1"),
                f.load(vigil("  kits.command-prefix = [ip, netns, exec, n1]\n")).kits().commandPrefix());
    }

    @Test
    void badTunablesAreReportedWithTheirKeysAndLimits() {
        List<String> problems = f.problems(hierarchy(
                "{ tag = pg, type = postgresql, data-dir = \"/d\", check-timeout = 1500ms, log-file = \"pg.log\","
                        + " depends-on = [ip, fs] }",
                "{ tag = ip, type = ip, address = \"10.200.0.100\", ping-tries = 0, ping-timeout = 61s,"
                        + " local-recovery-attempts = 11 }",
                "{ tag = fs, type = filesystem, device = \"/dev/sdb1\", mount-point = \"/share\", check-interval = 10ms,"
                        + " timeouts { restore = 0s, recovr = 5s }, umount-attempts = 0 }"));
        assertEquals(List.of(
                "vigil.conf:7: " + R + "[0].check-timeout: 1500ms is not a whole number of seconds (JDBC takes seconds);"
                        + " write e.g. 1s",
                "vigil.conf:7: " + R + "[0].log-file: must be an absolute path, not 'pg.log'",
                "vigil.conf:8: " + R + "[1].ping-tries: 0 is out of range (1 to 100)",
                "vigil.conf:8: " + R + "[1].ping-timeout: 61s is out of range (1s to 1m)",
                "vigil.conf:8: " + R + "[1].local-recovery-attempts: 11 is out of range (0 to 10)",
                "vigil.conf:9: " + R + "[2].umount-attempts: 0 is out of range (1 to 20)",
                "vigil.conf:9: " + R + "[2].check-interval: 10ms is out of range (100ms to 1h)",
                "vigil.conf:9: " + R + "[2].timeouts.restore: 0s is out of range (1s to 24h)",
                "vigil.conf:9: " + R + "[2].timeouts.recovr: unknown key (did you mean 'recover'?)"), problems);
    }

    @Test
    void unknownTimeoutInResourceDefaultsIsReportedEvenWithoutAResourceOfTheType() {
        assertEquals(List.of("vigil.conf:4: vigil.resource-defaults.generic.timeouts.quickcheck: unknown key"
                        + " (did you mean 'quick-check'?)"),
                f.problems(vigil("  resource-defaults.generic.timeouts { quickcheck = 5s }\n")));
    }

    @Test
    void commandPrefixMustBeAListOfStrings() {
        assertEquals(List.of("vigil.conf:4: vigil.kits.command-prefix: expected a list [ ... ] but found \"ip netns\""),
                f.problems(vigil("  kits.command-prefix = \"ip netns\"\n")));
    }
}
