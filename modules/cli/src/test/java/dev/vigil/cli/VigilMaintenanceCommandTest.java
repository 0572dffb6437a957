package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** {@code vigil maintenance on|off [TAG]} against the admin API's answers. */
class VigilMaintenanceCommandTest {
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

    @Test
    void onForATagPostsItAndPrintsTheDaemonsMessage() {
        api.answerAction(200, "{\"message\": \"hierarchy \\\"app-batch\\\" is in maintenance mode\"}");
        Result r = CliRun.of("vigil", "maintenance", "on", "app-batch", "-c", conf);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("hierarchy \"app-batch\" is in maintenance mode\n", r.out());
        assertEquals(List.of("/v1/hierarchies/app-batch/maintenance {\"maintenance\": \"on\"}"), api.actions());
    }

    @Test
    void withoutATagEveryHierarchyOfThisServerIsAsked() {
        api.answerAction(200, "{\"message\": \"hierarchy \\\"app-batch\\\" is out of maintenance mode\"}");
        Result r = CliRun.of("vigil", "maintenance", "off", "-c", conf);
        assertEquals(0, r.exit(), r::toString);
        assertEquals(List.of("/v1/hierarchies/app-batch/maintenance {\"maintenance\": \"off\"}"), api.actions());
    }

    @Test
    void aRefusalExits1AndAnUnknownTagExits7() {
        api.answerAction(409, "{\"error\": \"server n1 cannot decide for the cluster now: it sees no majority of the 3"
                + " servers\"}");
        Result refused = CliRun.of("vigil", "maintenance", "on", "app-batch", "-c", conf);
        assertEquals(1, refused.exit(), refused::toString);
        assertTrue(refused.err().contains("it sees no majority of the 3 servers"), refused.err());
        api.answerAction(404, "{\"error\": \"unknown tag 'pg': no resource or hierarchy of that name; known tags: app-batch\"}");
        Result unknown = CliRun.of("vigil", "maintenance", "on", "pg", "-c", conf);
        assertEquals(7, unknown.exit(), unknown::toString);
        assertTrue(unknown.err().contains("unknown tag 'pg'"), unknown.err());
    }

    @Test
    void aWrongModeIsAUsageErrorAndAsksNothing() {
        Result r = CliRun.of("vigil", "maintenance", "maybe", "-c", conf);
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith("vigil maintenance: unknown mode 'maybe'; use on or off"), r.err());
        assertTrue(api.actions().isEmpty());
    }

    @Test
    void withoutADaemonItSaysSoAndExits9() {
        api.close();
        Result r = CliRun.of("vigil", "maintenance", "on", "app-batch", "-c", conf);
        assertEquals(9, r.exit(), r::toString);
        assertEquals("Vigil does not appear to be running.\n", r.err());
    }
}
