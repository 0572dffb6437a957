package dev.vigil.daemon.api;

import static dev.vigil.daemon.TestSupport.http;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.CommPathState;
import dev.vigil.core.LogType;
import dev.vigil.core.ResourceState;
import dev.vigil.core.ServerState;
import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.config.LogSettings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.HierarchyInfo;
import dev.vigil.core.status.ServerStatus;
import dev.vigil.daemon.Daemon;
import dev.vigil.daemon.TestSupport;
import dev.vigil.daemon.cluster.StatusBoard;
import dev.vigil.daemon.hierarchy.HierarchyAction;
import dev.vigil.daemon.hierarchy.HierarchySupervisor;
import dev.vigil.daemon.notify.LogSetup;
import dev.vigil.daemon.notify.EventCounters;
import dev.vigil.daemon.notify.Metrics;
import dev.vigil.daemon.notify.OperatorLog;
import dev.vigil.daemon.remote.RemoteExec;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin API of a real daemon that is alone: n2 of a two-server cluster whose n1 is not running
 * (n2 is not the first seed, so it never forms a cluster by itself). It must still come up and
 * answer, showing n1 DEAD.
 */
class AdminApiTest {
    private static final String TOKEN = AdminToken.generate();
    private static final ObjectMapper JSON = Json.mapper();

    private static Path dir;
    private static int adminPort;
    private static VigilConfig config;
    private static Daemon daemon;

    @BeforeAll
    static void startLoneServer() throws Exception {
        dir = Files.createTempDirectory("vigil-admin-api-test");
        LogSetup.configure(new LogSettings(dir.resolve("logs"), 10L << 20, 5), "test");
        adminPort = TestSupport.freePort();
        config = TestSupport.config(dir, "n2", TestSupport.freePorts(2), adminPort);
        daemon = Daemon.start(config, TOKEN, TestSupport.sharedJvm(), () -> { });
    }

    @AfterAll
    static void stopLoneServer() throws Exception {
        try {
            if (daemon != null) {
                daemon.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
            }
        } finally {
            TestSupport.deleteRecursively(dir);
        }
    }

    @Test
    void requestWithoutTokenIsRejectedWith401() throws Exception {
        HttpResponse<String> r = http("GET", adminPort, "/v1/status", null, null);
        assertEquals(401, r.statusCode());
        assertTrue(error(r).contains(config.admin().tokenFile().toString()), r.body());
        assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElseThrow());
    }

    @Test
    void requestWithWrongTokenIsRejectedWith401EvenOnUnknownRoutes() throws Exception {
        assertEquals(401, http("GET", adminPort, "/v1/status", TOKEN.substring(1) + "0", null).statusCode());
        assertEquals(401, http("POST", adminPort, "/v1/shutdown", "nope", "{\"mode\":\"remove\"}").statusCode());
        assertEquals(401, http("GET", adminPort, "/nowhere", null, null).statusCode());
    }

    @Test
    void loneServerAnswersStatusWithItselfAliveAndItsPeerDead() throws Exception {
        HttpResponse<String> r = http("GET", adminPort, "/v1/status", TOKEN, null);
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        ClusterStatus status = JSON.readValue(r.body(), ClusterStatus.class);

        assertEquals("n2", status.local());
        assertEquals("vigil", status.cluster());
        assertEquals(List.of("n1", "n2"), status.servers().stream().map(ServerStatus::name).toList());
        ServerStatus n1 = status.server("n1").orElseThrow();
        assertEquals(ServerState.DEAD, n1.state());
        assertNull(n1.reportedAt(), "n1 never reported");
        ServerStatus n2 = status.server("n2").orElseThrow();
        assertEquals(ServerState.ALIVE, n2.state());
        assertEquals(ShutdownStrategy.DO_NOT_SWITCHOVER, n2.shutdownStrategy());
        assertEquals(1, n2.commPaths().size());
        assertEquals(CommPathState.DEAD, n2.commPaths().get(0).state());
        assertEquals("TCP", n2.commPaths().get(0).type());
        assertEquals(List.of("ip-10.200.0.100", "fs-/share", "powergres-/share/data"), List.copyOf(n2.resources().keySet()));
        TestSupport.await("resources reported OSU", Duration.ofSeconds(5), () -> status().server("n2").orElseThrow()
                .resources().values().stream().allMatch(s -> s.state() == ResourceState.OSU));
        assertEquals(List.of(HierarchyInfo.of(config.hierarchies().get(0))), status.hierarchies());

        JsonNode raw = JSON.readTree(r.body());
        assertTrue(raw.get("generatedAt").isTextual(), "dates are ISO-8601 strings: " + raw.get("generatedAt"));
        assertEquals("ALIVE", raw.get("servers").get(1).get("state").asText());
    }

    @Test
    void loneServerLogsStartupCompleteAfterTheJoinTimeout() {
        Path main = dir.resolve("logs").resolve(LogType.LOG.fileName());
        TestSupport.await("startup complete in the main log", Duration.ofSeconds(10), () ->
                TestSupport.read(main).contains("n2 INFO  Vigil startup complete on server \"n2\" AT: "));
        // The warning is written right after the announcement; the log file is appended asynchronously.
        TestSupport.await("the not-joined warning in the main log", Duration.ofSeconds(5), () ->
                TestSupport.read(main).contains("n2 WARN  server \"n2\" has not joined cluster \"vigil\" yet"));
    }

    @Test
    void shutdownWithInvalidModeIsRejectedWith400NamingTheField() throws Exception {
        for (String body : List.of("{\"mode\":\"now\"}", "{\"mode\":3}", "{}", "{\"mode\":\"remove\",\"force\":true}",
                "not json", "", "[\"remove\"]")) {
            HttpResponse<String> r = http("POST", adminPort, "/v1/shutdown", TOKEN, body);
            assertEquals(400, r.statusCode(), body);
            String error = error(r);
            assertTrue(error.contains("\"mode\""), body + " → " + error);
        }
        assertTrue(error(http("POST", adminPort, "/v1/shutdown", TOKEN, "{\"mode\":\"now\"}"))
                .contains("\"remove\", \"leave-running\", \"switchover\""));
        assertFalse(daemon.system().whenTerminated().isCompleted(), "bad requests do not stop the daemon");
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405WithJsonErrors() throws Exception {
        HttpResponse<String> notFound = http("GET", adminPort, "/v2/status", TOKEN, null);
        assertEquals(404, notFound.statusCode());
        assertTrue(error(notFound).contains("GET /v2/status"));
        assertTrue(error(notFound).contains("POST /v1/remote-exec"));
        HttpResponse<String> wrongMethod = http("GET", adminPort, "/v1/shutdown", TOKEN, null);
        assertEquals(405, wrongMethod.statusCode());
        assertTrue(error(wrongMethod).contains("use POST"));
        assertEquals(405, http("DELETE", adminPort, "/v1/status", TOKEN, null).statusCode());
    }

    @Test
    void statusBoardThatDoesNotAnswerGives503() throws Exception {
        ActorTestKit kit = ActorTestKit.create();
        try {
            TestProbe<StatusBoard.Command> silent = kit.createTestProbe();
            TestProbe<RemoteExec.Command> remoteExec = kit.createTestProbe();
            AdminApi api = new AdminApi(kit.system(), silent.ref(), Map.of(), remoteExec.ref(), config, TOKEN,
                    new AdminApi.Limits(Duration.ofMillis(300), h -> Duration.ofMillis(300)), new OperatorLog("n9"),
                    new Metrics(new EventCounters(), java.time.Instant.now()));
            int port = TestSupport.freePort();
            ServerBinding binding = Http.get(kit.system()).newServerAt("127.0.0.1", port).bind(api.route())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            HttpResponse<String> r = http("GET", port, "/v1/status", TOKEN, null);
            assertEquals(503, r.statusCode());
            assertTrue(error(r).contains("did not answer within 300 ms"), r.body());
            silent.expectMessageClass(StatusBoard.GetStatus.class);
            binding.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void anActionThatDoesNotFinishInTimeIs504() throws Exception {
        ActorTestKit kit = ActorTestKit.create();
        try {
            TestProbe<HierarchySupervisor.Command> busy = kit.createTestProbe();
            String root = config.hierarchies().get(0).tag();
            AdminApi api = new AdminApi(kit.system(), kit.<StatusBoard.Command>createTestProbe().ref(),
                    Map.of(root, busy.ref()), kit.<RemoteExec.Command>createTestProbe().ref(), config, TOKEN,
                    new AdminApi.Limits(Duration.ofMillis(300), h -> Duration.ofSeconds(1)), new OperatorLog("n9"),
                    new Metrics(new EventCounters(), java.time.Instant.now()));
            int port = TestSupport.freePort();
            ServerBinding binding = Http.get(kit.system()).newServerAt("127.0.0.1", port).bind(api.route())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            HttpResponse<String> r = http("POST", port, "/v1/hierarchies/" + java.net.URLEncoder.encode(root,
                    java.nio.charset.StandardCharsets.UTF_8) + "/actions", TOKEN, "{\"action\": \"remove\"}");
            assertEquals(504, r.statusCode());
            assertEquals("remove of hierarchy '" + root + "' did not finish within 1 s; it may still be running: see "
                    + "lcdstatus and 'lk_log log'", error(r));
            HierarchySupervisor.PerformAction asked = busy.expectMessageClass(HierarchySupervisor.PerformAction.class);
            assertEquals(HierarchyAction.REMOVE, asked.action());
            binding.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } finally {
            kit.shutdownTestKit();
        }
    }

    private static ClusterStatus status() {
        try {
            return JSON.readValue(http("GET", adminPort, "/v1/status", TOKEN, null).body(), ClusterStatus.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String error(HttpResponse<String> r) throws Exception {
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow(), r.body());
        return JSON.readTree(r.body()).get("error").asText();
    }
}
