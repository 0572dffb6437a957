package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.cli.testing.CliRun;
import dev.vigil.cli.testing.CliRun.Result;
import dev.vigil.cli.testing.FakeAdminApi;
import dev.vigil.cli.testing.StatusFixtures;
import dev.vigil.cli.testing.TestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil switchover TAG --to SERVER} against the admin API's answers. */
class VigilSwitchoverCommandTest {
    private static final String TOKEN = "0123456789abcdef".repeat(4);
    private static final String DONE = "{\"hierarchy\": \"powergres-/share/data\", \"to\": \"n2\", \"message\": "
            + "\"perform_action -t powergres-/share/data -a restore on n2: hierarchy in service on n2\"}";

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

    @Test
    void asksTheDaemonAndPrintsWhatHappened() {
        api.answerAction(200, DONE);
        Result r = CliRun.of("vigil", "switchover", "fs-/share", "--to", "n2", "-c", conf);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("perform_action -t powergres-/share/data -a restore on n2: hierarchy in service on n2\n", r.out());
        assertEquals(List.of("/v1/hierarchies/fs-%2Fshare/switchover {\"to\":\"n2\"}"), api.actions());
    }

    @Test
    void jsonPrintsTheDaemonsAnswer() {
        api.answerAction(200, DONE);
        Result r = CliRun.of("vigil", "switchover", "--json", "fs-/share", "--to", "n2", "-c", conf);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("""
                {
                  "hierarchy" : "powergres-/share/data",
                  "to" : "n2",
                  "message" : "perform_action -t powergres-/share/data -a restore on n2: hierarchy in service on n2"
                }
                """, r.out());
    }

    @Test
    void anUnknownServerOrTagExits7AndARefusalExits1() {
        api.answerAction(404, "{\"error\": \"unknown server 'n9'; servers: n1, n2, n3\"}");
        Result unknown = CliRun.of("vigil", "switchover", "fs-/share", "--to", "n9", "-c", conf);
        assertEquals(7, unknown.exit());
        assertEquals("vigil switchover: unknown server 'n9'; servers: n1, n2, n3\n", unknown.err());

        api.answerAction(409, "{\"error\": \"switchover of hierarchy 'powergres-/share/data' to n2 failed: in service "
                + "on n1\"}");
        Result refused = CliRun.of("vigil", "switchover", "fs-/share", "--to", "n2", "-c", conf);
        assertEquals(1, refused.exit());
        assertEquals("vigil switchover: switchover of hierarchy 'powergres-/share/data' to n2 failed: in service on n1\n",
                refused.err());
    }

    @Test
    void withoutToItIsAUsageErrorAndADownDaemonExits9() {
        Result noTo = CliRun.of("vigil", "switchover", "fs-/share", "-c", conf);
        assertEquals(2, noTo.exit());
        assertEquals("vigil switchover: Missing required option: '--to SERVER'", noTo.err().lines().findFirst().orElse(""));
        api.close();
        Result down = CliRun.of("vigil", "switchover", "fs-/share", "--to", "n2", "-c", conf);
        assertEquals(9, down.exit());
        assertEquals("Vigil does not appear to be running.\n", down.err());
    }
}
