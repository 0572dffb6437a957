package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.cli.testing.CliRun;
import dev.vigil.cli.testing.CliRun.Result;
import dev.vigil.cli.testing.FakeAdminApi;
import dev.vigil.cli.testing.StatusFixtures;
import dev.vigil.cli.testing.TestConfig;
import dev.vigil.core.ResourceState;
import dev.vigil.core.status.ActionOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code perform_action -t TAG -a ACTION} against the admin API's answers. */
class PerformActionCommandTest {
    private static final String TOKEN = "0123456789abcdef".repeat(4);

    @TempDir
    Path dir;

    private FakeAdminApi api;
    private String conf;

    @BeforeEach
    void startApi() throws Exception {
        api = FakeAdminApi.start(0, TOKEN, StatusFixtures.threeServers());
        TestConfig config = TestConfig.write(dir, api.port());
        conf = config.file.toString();
        Files.createDirectories(config.stateDir);
        Files.writeString(config.tokenFile, TOKEN + "\n");
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    private void answer(boolean ok, String message, ResourceState state, String reason) throws Exception {
        ActionOutcome outcome = new ActionOutcome("powergres-/share/data", "restore", "n1", ok, message, List.of(
                new ActionOutcome.Resource("powergres-/share/data", state, reason),
                new ActionOutcome.Resource("fs-/share", state, reason)));
        api.answerAction(200, Json.mapper().writeValueAsString(outcome));
    }

    @Test
    void aSucceededActionPrintsWhatHappenedAndEachResourceAndExits0() throws Exception {
        answer(true, "hierarchy \"powergres-/share/data\" is in service on n1", ResourceState.ISP,
                "restore action has succeeded");
        Result r = CliRun.of("perform_action", "-t", "fs-/share", "-a", "restore", "-c", conf);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("""
                hierarchy "powergres-/share/data" is in service on n1
                powergres-/share/data  ISP  restore action has succeeded
                fs-/share              ISP  restore action has succeeded
                """, r.out());
        assertEquals("", r.err());
        assertEquals(List.of("/v1/hierarchies/fs-%2Fshare/actions {\"action\": \"restore\"}"), api.actions());
    }

    @Test
    void aFailedActionPrintsTheResourcesAndTheReasonOnStderrAndExits1() throws Exception {
        answer(false, "restore of resource \"fs-/share\" failed: cannot open device \"/dev/sdb1\": No such device or "
                + "address", ResourceState.OSU, "out of service");
        Result r = CliRun.of("perform_action", "-t", "powergres-/share/data", "-a", "restore", "-c", conf);
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().startsWith("powergres-/share/data  OSU  out of service\n"), r.out());
        assertEquals("perform_action: restore of hierarchy powergres-/share/data on n1 failed: restore of resource "
                + "\"fs-/share\" failed: cannot open device \"/dev/sdb1\": No such device or address\n", r.err());
    }

    @Test
    void anUnknownTagExits7WithTheDaemonsListOfTags() {
        api.answerAction(404, "{\"error\": \"unknown tag 'pg': no resource or hierarchy of that name; known tags: a, b\"}");
        Result r = CliRun.of("perform_action", "-t", "pg", "-a", "remove", "-c", conf);
        assertEquals(7, r.exit(), r::toString);
        assertEquals("perform_action: unknown tag 'pg': no resource or hierarchy of that name; known tags: a, b\n",
                r.err());
    }

    @Test
    void aRefusedActionExits1SayingWhy() {
        api.answerAction(409, "{\"error\": \"hierarchy \\\"app-batch\\\" is in service on n2; take it out of service "
                + "there first (perform_action -t app-batch -a remove on n2)\"}");
        Result r = CliRun.of("perform_action", "-t", "app-batch", "-a", "restore", "-c", conf);
        assertEquals(1, r.exit(), r::toString);
        assertEquals("perform_action: restore refused: hierarchy \"app-batch\" is in service on n2; take it out of "
                + "service there first (perform_action -t app-batch -a remove on n2)\n", r.err());
    }

    @Test
    void anActionThatDidNotFinishInTimeExits1WithTheDaemonsMessage() {
        api.answerAction(504, "{\"error\": \"restart of hierarchy 'app-batch' did not finish within 70 s; it may still"
                + " be running: see lcdstatus and 'lk_log log'\"}");
        Result r = CliRun.of("perform_action", "-t", "app-batch", "-a", "restart", "-c", conf);
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("did not finish within 70 s"), r.err());
    }

    @Test
    void anUnknownActionOrAMissingOptionIsAUsageErrorWithExit2() {
        Result bad = CliRun.of("perform_action", "-t", "app-batch", "-a", "start", "-c", conf);
        assertEquals(2, bad.exit(), bad::toString);
        assertTrue(bad.err().startsWith("perform_action: unknown action 'start'; actions: restore, remove, restart\n"
                + "Usage: perform_action -t TAG -a ACTION [-c FILE]\n"), bad.err());
        Result missing = CliRun.of("perform_action", "-a", "restore", "-c", conf);
        assertEquals(2, missing.exit(), missing::toString);
        assertTrue(missing.err().startsWith("perform_action: Missing required option: '-t TAG'"), missing.err());
        assertTrue(api.actions().isEmpty(), "nothing was asked of the daemon");
    }

    @Test
    void withoutADaemonItSaysSoAndExits9() throws Exception {
        api.close();
        Result r = CliRun.of("perform_action", "-t", "app-batch", "-a", "remove", "-c", conf);
        assertEquals(9, r.exit(), r::toString);
        assertEquals("Vigil does not appear to be running.\n", r.err());
    }

    @Test
    void helpDescribesTheActionsAndExitCodes() {
        Result r = CliRun.of("perform_action", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("Usage: perform_action -t TAG -a ACTION [-c FILE]\n"), r.out());
        assertTrue(r.out().contains("remove   take it out of service"), r.out());
        assertTrue(r.out().contains("7   no resource or hierarchy is tagged TAG"), r.out());
    }
}
