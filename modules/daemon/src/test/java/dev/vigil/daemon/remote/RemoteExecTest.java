package dev.vigil.daemon.remote;

import static dev.vigil.daemon.TestSupport.await;
import static dev.vigil.daemon.TestSupport.http;
import static dev.vigil.daemon.TestSupport.since;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import dev.vigil.core.ServerState;
import dev.vigil.core.config.LogSettings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.daemon.Daemon;
import dev.vigil.daemon.TestSupport;
import dev.vigil.daemon.api.Json;
import dev.vigil.daemon.notify.LogSetup;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Remote execution through the admin API of n1, in a cluster of three configured servers of
 * which n1 and n2 run and n3 never started: commands run on n2 (or n1 itself), their output and
 * exit code come back, both sides log every request, and each failure has its HTTP status.
 */
class RemoteExecTest {
    private static final ObjectMapper JSON = Json.mapper();
    private static final String TOKEN = "remote-exec-test-token";

    private static Path dir;
    private static Path log;
    private static final List<VigilConfig> configs = new ArrayList<>();
    private static final List<Daemon> daemons = new ArrayList<>();
    private static int n1Admin;

    @BeforeAll
    static void startTwoOfThree() throws Exception {
        dir = Files.createTempDirectory("vigil-remote-exec-test");
        LogSetup.configure(new LogSettings(dir.resolve("logs"), 10L << 20, 5), "test");
        log = dir.resolve("logs").resolve(LogType.REMOTE_EXEC.fileName());
        List<Integer> clusterPorts = TestSupport.freePorts(3);
        List<Integer> adminPorts = TestSupport.freePorts(3);
        n1Admin = adminPorts.get(0);
        for (int i = 0; i < 3; i++) {
            configs.add(TestSupport.config(dir, "n" + (i + 1), clusterPorts, adminPorts.get(i)));
        }
        List<CompletableFuture<Daemon>> starting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            VigilConfig c = configs.get(i);
            starting.add(CompletableFuture.supplyAsync(() -> Daemon.start(c, TOKEN, TestSupport.sharedJvm(), () -> { })));
        }
        for (CompletableFuture<Daemon> d : starting) {
            daemons.add(d.get(30, TimeUnit.SECONDS));
        }
        await("n1 and n2 see each other ALIVE", Duration.ofSeconds(30), () -> daemons.stream().allMatch(d ->
                TestSupport.status(d.system()).servers().stream().filter(s -> !s.name().equals("n3"))
                        .allMatch(s -> s.state() == ServerState.ALIVE)));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (Daemon d : daemons) {
                d.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            TestSupport.deleteRecursively(dir);
        }
    }

    private static HttpResponse<String> exec(String body) {
        return http("POST", n1Admin, "/v1/remote-exec", TOKEN, body);
    }

    /** Until n2's remote exec service is known to n1 (the Receptionist spreads it within a second or two). */
    private static HttpResponse<String> execOnN2(String body) {
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        await("n1 can reach n2's remote exec service", Duration.ofSeconds(10), () -> {
            last.set(exec(body));
            return last.get().statusCode() != 503;
        });
        return last.get();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void aCommandRunsOnTheOtherServerWithItsConfigAndReturnsOutputAndExitCode() throws Exception {
        int before = TestSupport.read(log).length();
        HttpResponse<String> r = execOnN2("{\"server\": \"n2\", \"command\": [\"sh\", \"-c\","
                + " \"echo out; echo err >&2; echo conf=$VIGIL_CONF; exit 3\"], \"timeoutSeconds\": 20}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals("n2", body.get("server").asText());
        assertEquals(3, body.get("exitCode").asInt());
        assertEquals("out\nconf=" + dir.resolve("n2/vigil.conf") + "\n", body.get("stdout").asText());
        assertEquals("err\n", body.get("stderr").asText());

        String cmd = "sh -c 'echo out; echo err >&2; echo conf=$VIGIL_CONF; exit 3'";
        String lines = since(log, before);
        assertTrue(lines.contains("n1 INFO  request from n1 to n2: " + cmd + ": sent AT: "), lines);
        assertTrue(lines.contains("n2 INFO  request from n1 to n2: " + cmd + ": started AT: "), lines);
        assertTrue(lines.matches("(?s).*n2 INFO  request from n1 to n2: \\Q" + cmd + "\\E: exit 3 after \\d+ ms\n.*"), lines);
        assertTrue(lines.matches("(?s).*n1 INFO  request from n1 to n2: \\Q" + cmd + "\\E: exit 3 after \\d+ ms\n.*"), lines);
    }

    @Test
    void stderrMergedIntoStdoutKeepsTheOrderOfTheLines() throws Exception {
        HttpResponse<String> r = execOnN2("{\"server\": \"n2\", \"command\": [\"sh\", \"-c\","
                + " \"echo a; echo b >&2; echo c\"], \"mergeStderr\": true}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("a\nb\nc\n", json(r).get("stdout").asText());
        assertEquals("", json(r).get("stderr").asText());
    }

    @Test
    void theLocalServerRunsItsOwnRequestsAndLogsThem() throws Exception {
        int before = TestSupport.read(log).length();
        HttpResponse<String> r = exec("{\"server\": \"n1\", \"command\": [\"echo\", \"two words\"]}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("two words\n", json(r).get("stdout").asText());
        assertEquals(0, json(r).get("exitCode").asInt());
        String lines = since(log, before);
        assertTrue(lines.contains("n1 INFO  request from n1 to n1: echo 'two words': started AT: "), lines);
        assertTrue(lines.contains("n1 INFO  request from n1 to n1: echo 'two words': exit 0 after "), lines);
    }

    @Test
    void aMissingProgramExitsWith127AndSaysSo() throws Exception {
        HttpResponse<String> r = execOnN2("{\"server\": \"n2\", \"command\": [\"no-such-program-vigil\"]}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(127, json(r).get("exitCode").asInt());
        assertTrue(json(r).get("stderr").asText().contains("no-such-program-vigil: not found"), r.body());
    }

    @Test
    void aCommandOutOfTimeIsKilledAndAnswers504WithItsOutputSoFar() throws Exception {
        int before = TestSupport.read(log).length();
        HttpResponse<String> r = execOnN2("{\"server\": \"n2\", \"command\": [\"sh\", \"-c\", \"echo begun; sleep 30\"],"
                + " \"timeoutSeconds\": 1}");
        assertEquals(504, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals("'sh -c 'echo begun; sleep 30'' did not finish within 1 s on server \"n2\"; it was killed (its output"
                + " so far is in stdout and stderr)", body.get("error").asText());
        assertEquals("begun\n", body.get("stdout").asText());
        assertTrue(body.get("exitCode").isNull());
        await("both sides log the timeout", Duration.ofSeconds(5), () -> since(log, before).contains(
                "n2 WARN  request from n1 to n2: sh -c 'echo begun; sleep 30': timed out after ")
                && since(log, before).contains("n1 WARN  request from n1 to n2: sh -c 'echo begun; sleep 30': timed out after "));
    }

    @Test
    void anUnknownServerIs404ListingTheKnownOnes() throws Exception {
        HttpResponse<String> r = exec("{\"server\": \"n9\", \"command\": [\"true\"]}");
        assertEquals(404, r.statusCode());
        assertEquals("unknown server 'n9'; known servers: n1, n2, n3", json(r).get("error").asText());
    }

    @Test
    void aServerThatIsNotRunningIs503AndTheRequestIsLogged() throws Exception {
        int before = TestSupport.read(log).length();
        HttpResponse<String> r = exec("{\"server\": \"n3\", \"command\": [\"true\"]}");
        assertEquals(503, r.statusCode());
        assertEquals("server \"n3\" cannot be reached for remote exec: it is not a member of the cluster (DEAD, or not"
                + " started)", json(r).get("error").asText());
        assertTrue(since(log, before).contains("n1 WARN  request from n1 to n3: true: failed: not sent: it is not a member"),
                since(log, before));
    }

    @Test
    void onlyCallersWithTheAdminTokenMayExecute() {
        String body = "{\"server\": \"n1\", \"command\": [\"touch\", \"" + dir.resolve("pwned") + "\"]}";
        assertEquals(401, http("POST", n1Admin, "/v1/remote-exec", null, body).statusCode());
        assertEquals(401, http("POST", n1Admin, "/v1/remote-exec", "wrong", body).statusCode());
        assertTrue(Files.notExists(dir.resolve("pwned")));
    }

    @Test
    void malformedRequestsAre400NamingTheField() throws Exception {
        List<List<String>> cases = List.of(
                List.of("{\"command\": [\"true\"]}", "missing field \"server\""),
                List.of("{\"server\": \"n2\"}", "missing field \"command\""),
                List.of("{\"server\": \"n2\", \"command\": []}", "field \"command\": must be a non-empty array"),
                List.of("{\"server\": \"n2\", \"command\": \"ls -l\"}", "field \"command\": must be a non-empty array"),
                List.of("{\"server\": \"n2\", \"command\": [\"ls\", 3]}", "invalid word 3 in field \"command\""),
                List.of("{\"server\": \"n2\", \"command\": [\"true\"], \"timeoutSeconds\": 0}",
                        "field \"timeoutSeconds\": must be a whole number from 1 to 3600"),
                List.of("{\"server\": \"n2\", \"command\": [\"true\"], \"mergeStderr\": \"yes\"}",
                        "field \"mergeStderr\": must be true or false"),
                List.of("{\"server\": \"n2\", \"command\": [\"true\"], \"user\": \"root\"}", "unknown field \"user\""),
                List.of("not json", "request body is not JSON"));
        for (List<String> c : cases) {
            HttpResponse<String> r = exec(c.get(0));
            assertEquals(400, r.statusCode(), c.get(0));
            assertTrue(json(r).get("error").asText().contains(c.get(1)), c.get(0) + " → " + r.body());
        }
        assertEquals(405, http("GET", n1Admin, "/v1/remote-exec", TOKEN, null).statusCode());
    }
}
