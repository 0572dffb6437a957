package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** lcdremexec against the admin API ({@link FakeAdminApi}): what it sends, prints and exits with. */
class LcdRemExecCommandTest {
    private static final String TOKEN = "cd".repeat(32);

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

    private Result run(String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "lcdremexec";
        full[1] = "-c";
        full[2] = conf;
        System.arraycopy(args, 0, full, 3, args.length);
        return CliRun.of(full);
    }

    private JsonNode sent() throws Exception {
        assertEquals(1, api.remoteExecRequests().size(), api.remoteExecRequests().toString());
        return Json.mapper().readTree(api.remoteExecRequests().get(0));
    }

    @Test
    void printsTheRemoteOutputAndExitsWithTheRemoteExitCode() throws Exception {
        api.answerRemoteExec(200, "{\"server\": \"n2\", \"exitCode\": 3, \"stdout\": \"a\\nb\\n\", \"stderr\": \"\","
                + " \"durationMillis\": 12}");
        Result r = run("-d", "n2", "--", "perform_action", "-t", "powergres-/share/data", "-a", "restore");
        assertEquals(3, r.exit(), r::toString);
        assertEquals("a\nb\n", r.out());
        assertEquals("", r.err());
        JsonNode sent = sent();
        assertEquals("n2", sent.get("server").asText());
        assertEquals(List.of("perform_action", "-t", "powergres-/share/data", "-a", "restore"),
                Json.mapper().convertValue(sent.get("command"), List.class));
        assertTrue(sent.get("mergeStderr").asBoolean(), "stderr comes back with stdout unless -e");
        assertTrue(sent.path("timeoutSeconds").isMissingNode(), "the daemon's default timeout");
    }

    @Test
    void eKeepsTheRemoteStderrOnStderrAndTSetsTheTimeout() throws Exception {
        api.answerRemoteExec(200, "{\"server\": \"n2\", \"exitCode\": 0, \"stdout\": \"out\\n\", \"stderr\": \"err\\n\"}");
        Result r = run("-e", "-t", "30", "-d", "n2", "--", "ls", "-l", "@notafile", "--");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("out\n", r.out());
        assertEquals("err\n", r.err());
        JsonNode sent = sent();
        assertEquals(false, sent.get("mergeStderr").asBoolean());
        assertEquals(30, sent.get("timeoutSeconds").asInt());
        assertEquals(List.of("ls", "-l", "@notafile", "--"), Json.mapper().convertValue(sent.get("command"), List.class));
    }

    @Test
    void theCommandMustComeAfterDoubleDash() {
        Result r = run("-d", "n2", "hostname");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith("lcdremexec: put '--' before the command, e.g. lcdremexec -d n2 -- hostname\n"
                + "Usage: lcdremexec [-e] -d SERVER [-t SECONDS] [-c FILE] -- COMMAND [ARGUMENT...]\n"), r.err());
        assertEquals(List.of(), api.remoteExecRequests());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-- hostname", "-d n2", "-d n2 --", "-t 0 -d n2 -- hostname", "-t 3601 -d n2 -- hostname",
            "-t soon -d n2 -- hostname", "-x -d n2 -- hostname"})
    void badUsageIsExit2AndSendsNothing(String args) {
        Result r = run(args.split(" "));
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith("lcdremexec: "), r.err());
        assertTrue(r.err().contains("Usage: lcdremexec"), r.err());
        assertEquals(List.of(), api.remoteExecRequests());
    }

    @Test
    void anUnknownServerIsExit7WithTheDaemonsMessage() {
        api.answerRemoteExec(404, "{\"error\": \"unknown server 'n9'; known servers: n1, n2, n3\"}");
        Result r = run("-d", "n9", "--", "true");
        assertEquals(7, r.exit(), r::toString);
        assertEquals("lcdremexec: unknown server 'n9'; known servers: n1, n2, n3\n", r.err());
    }

    @Test
    void anUnreachableServerIsExit9() {
        api.answerRemoteExec(503, "{\"error\": \"server \\\"n3\\\" cannot be reached for remote exec: it is not a member"
                + " of the cluster (DEAD, or not started)\"}");
        Result r = run("-d", "n3", "--", "true");
        assertEquals(9, r.exit(), r::toString);
        assertEquals("lcdremexec: server \"n3\" cannot be reached for remote exec: it is not a member of the cluster"
                + " (DEAD, or not started)\n", r.err());
    }

    @Test
    void aCommandOutOfTimePrintsItsOutputSoFarAndIsExit9() {
        api.answerRemoteExec(504, "{\"error\": \"'sleep 60' did not finish within 1 s on server \\\"n2\\\"; it was killed\","
                + " \"server\": \"n2\", \"exitCode\": null, \"stdout\": \"begun\\n\", \"stderr\": \"\"}");
        Result r = run("-t", "1", "-d", "n2", "--", "sleep", "60");
        assertEquals(9, r.exit(), r::toString);
        assertEquals("begun\n", r.out());
        assertEquals("lcdremexec: 'sleep 60' did not finish within 1 s on server \"n2\"; it was killed\n", r.err());
    }

    @Test
    void withoutADaemonItSaysSoAndIsExit9() {
        api.close();
        Result r = run("-d", "n2", "--", "true");
        assertEquals(9, r.exit(), r::toString);
        assertEquals("Vigil does not appear to be running.\n", r.err());
    }

    @Test
    void aRejectedTokenIsExit1() throws Exception {
        Files.writeString(dir.resolve("state/admin.token"), "00".repeat(32));
        Result r = run("-d", "n2", "--", "true");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("lcdremexec: the daemon rejected the token in "), r.err());
    }
}
