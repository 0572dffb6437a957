package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.vigil.cli.format.DetailedStatusFormatter;
import dev.vigil.cli.format.ShortStatusFormatter;
import dev.vigil.cli.format.ShortStatusFormatter.FirstColumn;
import dev.vigil.cli.testing.CliRun;
import dev.vigil.cli.testing.CliRun.Result;
import dev.vigil.cli.testing.FakeAdminApi;
import dev.vigil.cli.testing.StatusFixtures;
import dev.vigil.cli.testing.TestConfig;
import dev.vigil.core.status.ClusterStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LcdStatusCommandTest {
    private static final String TOKEN = "0123456789abcdef".repeat(4);
    private static final ZoneId UTC = ZoneId.of("UTC");

    @TempDir
    Path dir;

    private FakeAdminApi api;
    private TestConfig config;
    private String conf;

    @BeforeEach
    void startApi() throws Exception {
        api = FakeAdminApi.start(0, TOKEN, StatusFixtures.threeServers());
        config = TestConfig.write(dir, api.port());
        conf = config.file.toString();
        Files.createDirectories(config.stateDir);
        Files.writeString(config.tokenFile, TOKEN + "\n");
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    @Test
    void quickStatusPrintsTheShortLayoutAndTheWarningsOnStderr() {
        Result r = CliRun.of("lcdstatus", "-q", "-c", conf);
        assertEquals(0, r.exit(), r::toString);
        assertEquals(new ShortStatusFormatter(UTC).format(StatusFixtures.threeServers(), "n1", Optional.empty(),
                FirstColumn.LOCAL), r.out());
        assertEquals("*** WARNING: hierarchy app-batch is in service on no server\n"
                + "*** WARNING: resource app-batch is OSF on n2: restore failed: /opt/batch/bin/restore exited with code 1\n", r.err());
    }

    @Test
    void maintenanceModeShowsInTheDetailedAndShortStatusAndInTheJson() throws Exception {
        api.serve(StatusFixtures.pgInMaintenance());
        String warning = "*** WARNING: hierarchy powergres-/share/data is in maintenance mode: checks, local recovery"
                + " and failover are suspended ('vigil maintenance off powergres-/share/data' ends it)";
        Result detailed = CliRun.of("lcdstatus", "-c", conf);
        assertTrue(detailed.out().contains("\n    " + warning + "\n"), detailed::toString);
        Result quick = CliRun.of("lcdstatus", "-q", "-c", conf);
        assertTrue(quick.err().startsWith(warning + "\n"), quick::toString);
        Result json = CliRun.of("vigil", "status", "--json", "-c", conf);
        assertTrue(Json.mapper().readValue(json.out(), ClusterStatus.class).placement(StatusFixtures.PG).orElseThrow()
                .maintenance(), json::toString);
    }

    @Test
    void detailedStatusSurvivesTheTripThroughTheAdminApiUnchanged() {
        Result r = CliRun.of("lcdstatus", "-c", conf);
        assertEquals(0, r.exit(), r::toString);
        assertEquals(new DetailedStatusFormatter(UTC).format(StatusFixtures.threeServers(), "n1", Optional.empty()), r.out());
        assertEquals("", r.err());
    }

    @Test
    void backupLayoutAnotherServerAndOneHierarchyCombine() {
        Result r = CliRun.of("lcdstatus", "-e", "-d", "n2", "-r", StatusFixtures.PG, "-c", conf);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("""
                BACKUP  TAG                    ID               STATE  PRIO  PRIMARY
                n3      powergres-/share/data  /share/data      OSU      10  n1
                n3       ip-10.200.0.100       IP-10.200.0.100  OSU      10  n1
                """), r::toString);
    }

    @Test
    void theConfigFileComesFromVigilConfWhenNoOptionNamesIt() {
        Result r = new CliRun().env("VIGIL_CONF", conf).run("lcdstatus", "-q");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("LOCAL  TAG"), r::toString);
    }

    @Test
    void daemonNotRunningPrintsTheOriginalsOneSentenceAndExits9() throws Exception {
        TestConfig down = TestConfig.write(Files.createDirectories(dir.resolve("down")), TestConfig.freePort());
        Result noToken = CliRun.of("lcdstatus", "-q", "-c", down.file.toString());
        assertEquals(9, noToken.exit());
        assertEquals("", noToken.out());
        assertEquals("Vigil does not appear to be running.\n", noToken.err());

        Files.createDirectories(down.stateDir);
        Files.writeString(down.tokenFile, TOKEN);
        Result staleToken = CliRun.of("lcdstatus", "-c", down.file.toString());
        assertEquals(9, staleToken.exit());
        assertEquals("Vigil does not appear to be running.\n", staleToken.err());
    }

    @Test
    void unknownServerExits7ListingTheKnownServers() {
        Result r = CliRun.of("lcdstatus", "-d", "n9", "-c", conf);
        assertEquals(7, r.exit());
        assertEquals("lcdstatus: unknown server 'n9'; known servers: n1, n2, n3\n", r.err());
    }

    @Test
    void unknownHierarchyExits7ListingTheKnownOnes() {
        Result r = CliRun.of("lcdstatus", "-q", "-r", "pg", "-c", conf);
        assertEquals(7, r.exit());
        assertEquals("lcdstatus: unknown hierarchy 'pg'; known hierarchies: powergres-/share/data, app-batch\n", r.err());
    }

    @Test
    void aResourceTagThatIsNoRootNamesItsHierarchy() {
        Result r = CliRun.of("lcdstatus", "-r", StatusFixtures.FS, "-c", conf);
        assertEquals(7, r.exit());
        assertEquals("lcdstatus: 'fs-/share' is not the root of a hierarchy; it belongs to hierarchy "
                + "'powergres-/share/data'\n", r.err());
    }

    @Test
    void anUnknownOptionPrintsOneLineAndTheUsageAndExits2() {
        Result r = CliRun.of("lcdstatus", "-u", "-c", conf);
        assertEquals(2, r.exit());
        assertEquals("""
                lcdstatus: Unknown option: '-u'
                Usage: lcdstatus [-q] [-e] [-d SERVER] [-r ROOT_TAG] [-c FILE]
                Try 'lcdstatus --help' for more information.
                """, r.err());
        assertEquals("", r.out());
    }

    @Test
    void anOptionWithoutItsValueIsAUsageError() {
        Result r = CliRun.of("lcdstatus", "-c", conf, "-d");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("lcdstatus: Missing required parameter for option '-d' (SERVER)\n"), r::toString);
    }

    @Test
    void configProblemsArePrintedOnePerLineWithExit2() throws Exception {
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "vigil {\n  server = n9\n  cluster { servers = [ { name = n1, host = \"127.0.0.1\" } ] }\n"
                + "  admin { port = 99999 }\n}\n");
        Result r = CliRun.of("lcdstatus", "-c", bad.toString());
        assertEquals(2, r.exit(), r::toString);
        assertEquals(2, r.err().lines().count(), r::toString);
        assertTrue(r.err().lines().allMatch(l -> l.startsWith(bad.toString() + ":")), r::toString);
        assertTrue(r.err().contains("admin.port") && r.err().contains("'n9'"), r::toString);
    }

    @Test
    void aMissingTokenFileWhileTheDaemonRunsIsNamedWithTheReason() throws Exception {
        Files.delete(config.tokenFile);
        Result r = CliRun.of("lcdstatus", "-c", conf);
        assertEquals(1, r.exit());
        assertEquals("lcdstatus: cannot read the admin token file " + config.tokenFile
                + ": no such file (the daemon writes it at start)\n", r.err());
    }

    @Test
    void aTokenFileThatIsADirectoryIsNamedWithTheReason() throws Exception {
        Files.delete(config.tokenFile);
        Files.createDirectory(config.tokenFile);
        Result r = CliRun.of("lcdstatus", "-q", "-c", conf);
        assertEquals(1, r.exit());
        assertEquals("lcdstatus: cannot read the admin token file " + config.tokenFile
                + ": it is a directory, not a file\n", r.err());
    }

    @Test
    void anUnreadableTokenFileSaysToRunAsRoot() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file; run as another user to test this");
        Files.setPosixFilePermissions(config.tokenFile, PosixFilePermissions.fromString("---------"));
        Result r = CliRun.of("lcdstatus", "-c", conf);
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("permission denied"), r::toString);
    }

    @Test
    void aTokenTheDaemonRejectsIsReportedWithItsFile() throws Exception {
        Files.writeString(config.tokenFile, "f".repeat(64));
        Result r = CliRun.of("lcdstatus", "-c", conf);
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("lcdstatus: the daemon rejected the token in " + config.tokenFile
                + " (missing or wrong admin token)"), r::toString);
    }

    @Test
    void anErrorAnswerOfTheDaemonIsShownWithItsTextAndExit3() {
        api.answerStatus(500, "{\"error\": \"status board crashed\"}");
        Result r = CliRun.of("lcdstatus", "-c", conf);
        assertEquals(3, r.exit());
        assertEquals("lcdstatus: the admin API on 127.0.0.1:" + api.port() + " answered HTTP 500: status board crashed\n",
                r.err());
    }

    @Test
    void aDaemonThatCannotAnswerNowIsACommunicationFailureWithItsText() {
        api.answerStatus(503, "{\"error\": \"status not available: the daemon's status board did not answer within "
                + "2000 ms; try again\"}");
        Result r = CliRun.of("lcdstatus", "-q", "-c", conf);
        assertEquals(9, r.exit());
        assertEquals("lcdstatus: the admin API on 127.0.0.1:" + api.port() + " answered HTTP 503: status not "
                + "available: the daemon's status board did not answer within 2000 ms; try again\n", r.err());
    }

    @Test
    void aStatusThatIsNotJsonIsAnInternalErrorNotAStackTrace() {
        api.answerStatus(200, "<html>hello</html>");
        Result r = CliRun.of("lcdstatus", "-q", "-c", conf);
        assertEquals(3, r.exit());
        assertEquals(1, r.err().lines().count(), r::toString);
        assertTrue(r.err().startsWith("lcdstatus: the admin API on 127.0.0.1:" + api.port()
                + " answered a status this command does not understand: "), r::toString);
    }

    @Test
    void anIncompleteStatusIsAnInternalErrorNotAStackTrace() {
        api.answerStatus(200, "{\"local\": \"n1\"}");
        Result r = CliRun.of("lcdstatus", "-c", conf);
        assertEquals(3, r.exit());
        assertEquals("lcdstatus: the admin API on 127.0.0.1:" + api.port()
                + " answered a status without local, servers or hierarchies: {\"local\": \"n1\"}\n", r.err());
    }

    @Test
    void vigilStatusIsLcdstatusUnderTheUmbrella() {
        assertEquals(CliRun.of("lcdstatus", "-q", "-c", conf), CliRun.of("vigil", "status", "-q", "-c", conf));
    }

    @Test
    void vigilStatusJsonPrintsTheClusterStatusOfTheAdminApi() throws Exception {
        Result r = CliRun.of("vigil", "status", "--json", "-c", conf);
        assertEquals(0, r.exit(), r::toString);
        assertEquals(StatusFixtures.threeServers(), Json.mapper().readValue(r.out(), ClusterStatus.class));
        assertTrue(r.out().contains("\"generatedAt\" : \"2025-11-26T13:40:00Z\""), r::toString);
    }

    @Test
    void jsonCannotBeCombinedWithALayoutOption() {
        Result r = CliRun.of("vigil", "status", "--json", "-d", "n2", "-c", conf);
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("vigil status: --json cannot be combined with -q, -e, -d or -r\n"), r::toString);
    }
}
