package dev.vigil.core.config;

import static dev.vigil.core.config.ConfigFixture.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the files themselves: syntax, missing files, what lies outside vigil { ... }, substitutions. */
class ConfigFilesTest {
    @TempDir
    Path dir;
    ConfigFixture f;

    @BeforeEach
    void setUp() {
        f = new ConfigFixture(dir);
    }

    @Test
    void syntaxErrorNamesFileAndLine() {
        List<String> problems = f.problems("""
                vigil {
                  server = n1
                  cluster {
                    servers = [ { name = n1, host = "10.200.0.1" }
                  }
                }
                """);
        assertEquals(List.of("vigil.conf:5: syntax error: List should have had new element after a comma, instead had"
                + " token: '}' (if you want the comma or '}' to be part of a string value, then double-quote it)"),
                problems);
    }

    @Test
    void unclosedBraceIsASyntaxErrorAtTheEndOfTheFile() {
        List<String> problems = f.problems("vigil {\n  server = n1\n");
        assertEquals(List.of("vigil.conf:3: syntax error: the file ends before every { is closed by a }"), problems);
    }

    @Test
    void missingFileIsReportedByItsPath() {
        List<String> problems = f.problemsOf(dir.resolve("nope.conf"));
        assertEquals(List.of("nope.conf: file not found"), problems);
    }

    @Test
    void directoryInsteadOfFileIsNotARegularFile() throws IOException {
        Files.createDirectory(dir.resolve("vigil.conf"));
        assertEquals(List.of("vigil.conf: not a regular file"), f.problemsOf(dir.resolve("vigil.conf")));
    }

    @Test
    void unreadableFileSaysPermissionDenied() throws IOException {
        Path main = f.write("vigil.conf", vigil(""));
        Files.setPosixFilePermissions(main, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(main), "running as root, who can read a file of mode 000");
        assertEquals(List.of("vigil.conf: file not readable (permission denied)"), f.problemsOf(main));
    }

    @Test
    void emptyFileAsksForTheVigilBlock() {
        assertEquals(List.of("vigil.conf: vigil: missing: write the settings as vigil { server = ..., cluster { servers = [ ... ] } }"),
                f.problems("# nothing yet\n"));
    }

    @Test
    void vigilThatIsNotAnObjectIsReported() {
        assertEquals(List.of("vigil.conf:2: vigil: expected an object { ... } but found \"n1\""),
                f.problems("# one line of comment\nvigil = n1\n"));
    }

    @Test
    void topLevelKeyOutsideVigilIsUnknown() {
        List<String> problems = f.problems(vigil("") + "server = n2\npekko.loglevel = DEBUG\n");
        assertEquals(List.of(
                "vigil.conf:5: server: unknown key: every setting goes inside vigil { ... }",
                "vigil.conf:6: pekko: unknown key: every setting goes inside vigil { ... }"), problems);
    }

    @Test
    void environmentVariableIsSubstituted() {
        String home = System.getenv("HOME");
        assumeTrue(home != null && home.startsWith("/"), "HOME is not set to an absolute path");
        VigilConfig c = f.load(vigil("""
                  state-dir = ${HOME}"/vigil-state"
                  logs.dir = ${vigil.state-dir}"/logs"
                  admin.port = ${?VIGIL_TEST_VARIABLE_NOBODY_SETS}
                """));
        assertEquals(Path.of(home, "vigil-state"), c.stateDir());
        assertEquals(Path.of(home, "vigil-state", "logs"), c.logs().dir());
        assertEquals(Path.of(home, "vigil-state", "admin.token"), c.admin().tokenFile());
        assertEquals(7366, c.admin().port());
    }

    @Test
    void unsetEnvironmentVariableNamesTheKeyAndTheOptionalForm() {
        List<String> problems = f.problems(vigil("""
                  state-dir = ${VIGIL_TEST_VARIABLE_NOBODY_SETS}
                  logs.dir = "/var/log/"${VIGIL_TEST_OTHER_UNSET}
                """));
        assertEquals(List.of(
                "vigil.conf:4: vigil.state-dir: ${VIGIL_TEST_VARIABLE_NOBODY_SETS} is not set: no setting and no environment"
                        + " variable VIGIL_TEST_VARIABLE_NOBODY_SETS (write ${?VIGIL_TEST_VARIABLE_NOBODY_SETS} to keep"
                        + " the default when it is unset)",
                "vigil.conf:5: vigil.logs.dir: ${VIGIL_TEST_OTHER_UNSET} is not set: no setting and no environment"
                        + " variable VIGIL_TEST_OTHER_UNSET (write ${?VIGIL_TEST_OTHER_UNSET} to keep the default"
                        + " when it is unset)"), problems);
    }

    @Test
    void appendingToHierarchiesIsRefusedWithTheFix() {
        List<String> problems = f.problems(vigil("  hierarchies += { tag = pg }\n"));
        assertEquals(List.of("vigil.conf:4: vigil.hierarchies: write hierarchies = [ ... ] without += or ${...}"
                + " (the entries of every file are concatenated)"), problems);
    }

    @Test
    void manyProblemsInOneFileAreAllReportedSortedByLine() {
        List<String> problems = f.problems("""
                vigil {
                  sever = n1
                  cluster {
                    servers = [ { name = n1, host = "10.200.0.1", port = 99999 } ]
                    down-after = soon
                  }
                  admin.port = "seventy"
                  logs { dir = "log", max-files = 0 }
                  shutdown-strategy = never
                }
                """);
        assertEquals(List.of(
                "vigil.conf:1: vigil.server: missing required key",
                "vigil.conf:2: vigil.sever: unknown key (did you mean 'server'?)",
                "vigil.conf:4: vigil.cluster.servers[0].port: 99999 is out of range (1 to 65535)",
                "vigil.conf:5: vigil.cluster.down-after: expected a duration such as 500ms or 2s but found \"soon\"",
                "vigil.conf:7: vigil.admin.port: expected a whole number but found \"seventy\"",
                "vigil.conf:8: vigil.logs.dir: must be an absolute path, not 'log'",
                "vigil.conf:8: vigil.logs.max-files: 0 is out of range (1 to 100)",
                "vigil.conf:9: vigil.shutdown-strategy: 'never' is not one of: do-not-switchover, switchover"), problems);
    }

    @Test
    void headAloneIsAValidConfigurationWithEveryDefault() {
        VigilConfig c = f.load(vigil(""));
        assertEquals("n1", c.serverName());
        assertEquals(Path.of("/var/lib/vigil"), c.stateDir());
        assertEquals(List.of(new ServerConfig("n1", "10.200.0.1", 7365), new ServerConfig("n2", "10.200.0.2", 7365)),
                c.cluster().servers());
        assertEquals("vigil", c.cluster().name());
        assertEquals(java.time.Duration.ofMillis(200), c.cluster().failureDetector().heartbeatInterval());
        assertEquals(java.time.Duration.ofMillis(1200), c.cluster().failureDetector().acceptableHeartbeatPause());
        assertEquals(8.0, c.cluster().failureDetector().threshold());
        assertEquals(java.time.Duration.ofSeconds(2), c.cluster().downAfter());
        assertEquals(new AdminSettings(7366, Path.of("/var/lib/vigil/admin.token")), c.admin());
        assertEquals(new LogSettings(Path.of("/var/log/vigil"), 10_000_000, 5), c.logs());
        assertEquals(dev.vigil.core.ShutdownStrategy.DO_NOT_SWITCHOVER, c.shutdownStrategy());
        assertEquals(List.of(), c.hierarchies());
        assertEquals(List.of(dir.resolve("vigil.conf")), c.sources());
    }
}
