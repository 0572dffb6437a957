package dev.vigil.core.config;

import static dev.vigil.core.config.ConfigFixture.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys of vigil { ... } outside the hierarchies: spelling, presence, types, ranges, paths, enums. */
class ConfigKeysTest {
    @TempDir
    Path dir;
    ConfigFixture f;

    @BeforeEach
    void setUp() {
        f = new ConfigFixture(dir);
    }

    @Test
    void misspeltKeySuggestsTheKnownSpelling() {
        List<String> problems = f.problems(vigil("""
                  cluster.failure-detector.heartbeat-intervall = 300ms
                  admin { prot = 7400 }
                  logs.max-file = 5MB
                """));
        assertEquals(List.of(
                "vigil.conf:4: vigil.cluster.failure-detector.heartbeat-intervall: unknown key (did you mean 'heartbeat-interval'?)",
                "vigil.conf:5: vigil.admin.prot: unknown key (did you mean 'port'?)",
                "vigil.conf:6: vigil.logs.max-file: unknown key (did you mean 'max-files'?)"), problems);
    }

    @Test
    void unknownKeyFarFromAnyKnownOneListsTheKnownKeys() {
        assertEquals(List.of("vigil.conf:4: vigil.colour: unknown key (known keys: admin, cluster, gui, hierarchies,"
                        + " hierarchy-defaults, jmx, kits, logs, resource-defaults, server, shutdown-strategy, snmp, state-dir)"),
                f.problems(vigil("  colour = blue\n")));
    }

    @Test
    void missingServerIsReportedAtTheVigilBlock() {
        assertEquals(List.of("vigil.conf:1: vigil.server: missing required key"), f.problems("""
                vigil {
                  cluster.servers = [ { name = n1, host = "10.200.0.1" } ]
                }
                """));
    }

    @Test
    void missingServersIsReportedAtTheClusterBlock() {
        assertEquals(List.of("vigil.conf:3: vigil.cluster.servers: missing required key"), f.problems("""
                vigil {
                  server = n1
                  cluster {
                    name = prod
                  }
                }
                """));
    }

    @Test
    void missingClusterBlockReportsItsServersAtTheVigilBlock() {
        assertEquals(List.of("vigil.conf:1: vigil.cluster.servers: missing required key"),
                f.problems("vigil {\n  server = n1\n}\n"));
    }

    @Test
    void emptyStringIsNotAValue() {
        assertEquals(List.of("vigil.conf:2: vigil.server: must not be empty"), f.problems("""
                vigil {
                  server = ""
                  cluster.servers = [ { name = n1, host = "10.200.0.1" } ]
                }
                """));
    }

    @Test
    void wrongTypesSayWhatWasExpectedAndWhatWasFound() {
        List<String> problems = f.problems(vigil("""
                  cluster.name = [ prod ]
                  admin.port = "seventy"
                  logs.max-files = [ 5 ]
                  cluster.failure-detector.threshold = high
                  cluster.down-after = { seconds = 2 }
                  logs.max-file-size = true
                  shutdown-strategy = { }
                """));
        assertEquals(List.of(
                "vigil.conf:4: vigil.cluster.name: expected a string but found a list [ ... ]",
                "vigil.conf:5: vigil.admin.port: expected a whole number but found \"seventy\"",
                "vigil.conf:6: vigil.logs.max-files: expected a whole number but found a list [ ... ]",
                "vigil.conf:7: vigil.cluster.failure-detector.threshold: expected a number but found \"high\"",
                "vigil.conf:8: vigil.cluster.down-after: expected a duration such as 500ms or 2s but found an object { ... }",
                "vigil.conf:9: vigil.logs.max-file-size: expected a size such as 10MB but found true",
                "vigil.conf:10: vigil.shutdown-strategy: expected a string but found an object { ... }"), problems);
    }

    @Test
    void stateDirThatCannotBeJoinedIntoTheDefaultTokenFileIsNamed() {
        assertEquals(List.of("vigil.conf:4: vigil.state-dir: cannot be used in a substitution ${...}: Cannot concatenate"
                        + " object or list with a non-object-or-list, SimpleConfigList([\"/var/lib/vigil\"]) and"
                        + " Quoted(\"/admin.token\") are not compatible"),
                f.problems(vigil("  state-dir = [ \"/var/lib/vigil\" ]\n")));
    }

    @Test
    void fractionWhereAWholeNumberBelongsIsRefused() {
        assertEquals(List.of("vigil.conf:4: vigil.logs.max-files: expected a whole number but found 2.5"),
                f.problems(vigil("  logs.max-files = 2.5\n")));
    }

    @Test
    void sectionThatIsNotAnObjectIsReported() {
        assertEquals(List.of("vigil.conf:4: vigil.logs: expected an object { ... } but found \"/var/log\""),
                f.problems(vigil("  logs = \"/var/log\"\n")));
    }

    @Test
    void outOfRangeNumbersDurationsAndSizesShowTheRange() {
        List<String> problems = f.problems(vigil("""
                  cluster.failure-detector { heartbeat-interval = 5ms, acceptable-heartbeat-pause = 11m, threshold = 0.5 }
                  cluster { down-after = 20m, rejoin-wait = 500ms }
                  admin.port = 70000
                  logs { max-file-size = 1000, max-files = 101 }
                """));
        assertEquals(List.of(
                "vigil.conf:4: vigil.cluster.failure-detector.heartbeat-interval: 5ms is out of range (10ms to 1m)",
                "vigil.conf:4: vigil.cluster.failure-detector.acceptable-heartbeat-pause: 11m is out of range (10ms to 10m)",
                "vigil.conf:4: vigil.cluster.failure-detector.threshold: 0.5 is out of range (1.0 to 100.0)",
                "vigil.conf:5: vigil.cluster.down-after: 20m is out of range (100ms to 10m)",
                "vigil.conf:5: vigil.cluster.rejoin-wait: 500ms is out of range (1s to 10m)",
                "vigil.conf:6: vigil.admin.port: 70000 is out of range (1 to 65535)",
                "vigil.conf:7: vigil.logs.max-file-size: 1000 is out of range (4KiB to 1TiB)",
                "vigil.conf:7: vigil.logs.max-files: 101 is out of range (1 to 100)"), problems);
    }

    @Test
    void relativePathsAreRefusedWhereAbsoluteOnesAreRequired() {
        List<String> problems = f.problems(vigil("""
                  state-dir = "var/lib/vigil"
                  admin.token-file = "admin.token"
                  logs.dir = "./logs"
                """));
        assertEquals(List.of(
                "vigil.conf:4: vigil.state-dir: must be an absolute path, not 'var/lib/vigil'",
                "vigil.conf:5: vigil.admin.token-file: must be an absolute path, not 'admin.token'",
                "vigil.conf:6: vigil.logs.dir: must be an absolute path, not './logs'"), problems);
    }

    @Test
    void guiSettingsAreCheckedWithTheirRanges() {
        List<String> problems = f.problems(vigil("""
                  gui { port = 0, bind = "every", users-file = "gui-users", session-timeout = 10s }
                """));
        assertEquals(List.of(
                "vigil.conf:4: vigil.gui.port: 0 is out of range (1 to 65535)",
                "vigil.conf:4: vigil.gui.bind: 'every' is not an IPv4 address (0.0.0.0 = every address of this server)",
                "vigil.conf:4: vigil.gui.users-file: must be an absolute path, not 'gui-users'",
                "vigil.conf:4: vigil.gui.session-timeout: 10s is out of range (1m to 168h)"), problems);
    }

    @Test
    void guiDefaultsToPort81OnEveryAddress() {
        GuiSettings gui = f.load(vigil("")).gui();
        assertEquals(new GuiSettings(81, "0.0.0.0", Path.of("/etc/vigil/gui-users"), java.time.Duration.ofMinutes(30)),
                gui);
        assertEquals("http://n1:81/", gui.url("n1"));
    }

    @Test
    void badEnumValuesListTheAcceptedSpellings() {
        List<String> problems = f.problems(vigil("""
                  shutdown-strategy = switch-over
                  hierarchy-defaults.switchback = manual
                """));
        assertEquals(List.of(
                "vigil.conf:4: vigil.shutdown-strategy: 'switch-over' is not one of: do-not-switchover, switchover"
                        + " (did you mean 'switchover'?)",
                "vigil.conf:5: vigil.hierarchy-defaults.switchback: 'manual' is not one of: intelligent, automatic"),
                problems);
    }

    @Test
    void enumValuesAreReadWhateverTheirCase() {
        VigilConfig c = f.load(vigil("  shutdown-strategy = Switchover\n"));
        assertEquals(dev.vigil.core.ShutdownStrategy.SWITCHOVER, c.shutdownStrategy());
    }

    @Test
    void clusterNameWithASpaceIsRefused() {
        assertEquals(List.of("vigil.conf:4: vigil.cluster.name: 'my cluster' may contain only letters, digits, '-' and '_'"),
                f.problems(vigil("  cluster.name = \"my cluster\"\n")));
    }

    @Test
    void writtenValuesReplaceTheDefaults() {
        VigilConfig c = f.load(vigil("""
                  state-dir = "/srv/vigil"
                  shutdown-strategy = switchover
                  cluster { name = prod, down-after = 5s }
                  cluster.failure-detector { heartbeat-interval = 500ms, acceptable-heartbeat-pause = 3s, threshold = 12 }
                  admin.port = 7400
                  logs { dir = "/srv/vigil/log", max-file-size = 1MiB, max-files = 2 }
                """));
        assertEquals(Path.of("/srv/vigil"), c.stateDir());
        assertEquals(Path.of("/srv/vigil/admin.token"), c.admin().tokenFile());
        assertEquals(new ClusterSettings("prod", c.cluster().servers(), new FailureDetectorSettings(
                java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(3), 12.0), java.time.Duration.ofSeconds(5)),
                c.cluster());
        assertEquals(java.time.Duration.ofSeconds(30), c.cluster().rejoinWait(), "the default rejoin wait");
        assertEquals(java.time.Duration.ofSeconds(8),
                f.load(vigil("  cluster.rejoin-wait = 8s\n")).cluster().rejoinWait());
        assertEquals(7400, c.admin().port());
        assertEquals(new LogSettings(Path.of("/srv/vigil/log"), 1 << 20, 2), c.logs());
    }
}
