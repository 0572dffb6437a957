package dev.vigil.daemon.api;

import static dev.vigil.daemon.TestSupport.http;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.ResourceState;
import dev.vigil.core.config.LogSettings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ActionOutcome;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.daemon.Daemon;
import dev.vigil.daemon.TestSupport;
import dev.vigil.daemon.notify.LogSetup;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/hierarchies/{tag}/actions} on a running two-server cluster (n1 priority 1, n2
 * priority 10) protecting the manual-shaped hierarchy of {@link TestSupport#config} (generic
 * resources keeping marker files). n1 restores it when the cluster forms; each test starts from there.
 */
class HierarchyActionsApiTest {
    private static final String ROOT = "powergres-/share/data";
    private static final List<String> TAGS = List.of("ip-10.200.0.100", "fs-/share", ROOT);
    private static final ObjectMapper JSON = Json.mapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String[] TOKENS = {AdminToken.generate(), AdminToken.generate()};

    private static Path dir;
    private static final VigilConfig[] configs = new VigilConfig[2];
    private static final Daemon[] daemons = new Daemon[2];

    @BeforeAll
    static void startCluster() throws Exception {
        dir = Files.createTempDirectory("vigil-actions-api-test");
        LogSetup.configure(new LogSettings(dir.resolve("logs"), 10L << 20, 5), "test");
        List<Integer> clusterPorts = TestSupport.freePorts(2);
        List<Integer> adminPorts = TestSupport.freePorts(2);
        for (int i = 0; i < 2; i++) {
            configs[i] = TestSupport.config(dir, "n" + (i + 1), clusterPorts, adminPorts.get(i));
        }
        for (int i = 0; i < 2; i++) {
            daemons[i] = Daemon.start(configs[i], TOKENS[i], TestSupport.sharedJvm(), () -> { });
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        try {
            for (Daemon d : daemons) {
                if (d != null) {
                    d.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
                }
            }
        } finally {
            TestSupport.deleteRecursively(dir);
        }
    }

    /** The hierarchy in service on n1 only: placed there as the cluster formed, or switched back by a restore on n1. */
    @BeforeEach
    void inServiceOnN1() {
        TestSupport.await("n2 sees n1 alive", WAIT, () -> status(1).server("n1").orElseThrow().state()
                == dev.vigil.core.ServerState.ALIVE);
        TestSupport.await("a placement decision", WAIT, () -> mainLog().contains("placement of hierarchy \"" + ROOT
                + "\": "));
        TestSupport.await("n1 has the hierarchy", WAIT, () -> state(0, ROOT) == ResourceState.ISP
                || action(0, ROOT, "restore").statusCode() == 200);
        TestSupport.await("n2 knows", WAIT, () -> status(1).server("n1").orElseThrow().resources().get(ROOT).state()
                == ResourceState.ISP);
    }

    private static ClusterStatus status(int server) {
        return TestSupport.status(daemons[server].system());
    }

    private static ResourceState state(int server, String tag) {
        ResourceStatus s = status(server).server("n" + (server + 1)).orElseThrow().resources().get(tag);
        return s == null ? ResourceState.ILLSTATE : s.state();
    }

    private static HttpResponse<String> action(int server, String tag, String action) {
        return post(server, "/v1/hierarchies/" + URLEncoder.encode(tag, StandardCharsets.UTF_8) + "/actions",
                "{\"action\": \"" + action + "\"}");
    }

    private static HttpResponse<String> post(int server, String path, String body) {
        return http("POST", configs[server].admin().port(), path, TOKENS[server], body);
    }

    private static ActionOutcome outcome(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), () -> r.body() + "\nthe servers' log, last 80 lines:\n"
                + TestSupport.tail(mainLog(), 80));
        return JSON.readValue(r.body(), ActionOutcome.class);
    }

    private static String error(HttpResponse<String> r) throws Exception {
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow(), r.body());
        return JSON.readTree(r.body()).get("error").asText();
    }

    private static String mainLog() {
        return TestSupport.read(dir.resolve("logs/vigil.log"));
    }

    @Test
    void anUnknownTagIs404AndListsTheKnownTags() throws Exception {
        HttpResponse<String> r = action(0, "pg-main", "restore");
        assertEquals(404, r.statusCode());
        assertEquals("unknown tag 'pg-main': no resource or hierarchy of that name; known tags: ip-10.200.0.100, "
                + "fs-/share, powergres-/share/data", error(r));
    }

    @Test
    void aBadActionOrBodyIs400NamingTheFieldAndOtherMethodsAre405() throws Exception {
        for (String body : List.of("{\"action\":\"start\"}", "{}", "{\"action\":\"restore\",\"force\":true}", "nope")) {
            HttpResponse<String> r = post(0, "/v1/hierarchies/" + URLEncoder.encode(ROOT, StandardCharsets.UTF_8)
                    + "/actions", body);
            assertEquals(400, r.statusCode(), body);
            assertTrue(error(r).contains("\"action\""), body + " → " + r.body());
        }
        assertEquals("invalid value \"start\" for field \"action\": must be one of \"restore\", \"remove\", \"restart\"",
                error(post(0, "/v1/hierarchies/x/actions", "{\"action\":\"start\"}")));
        HttpResponse<String> get = http("GET", configs[0].admin().port(), "/v1/hierarchies/x/actions", TOKENS[0], null);
        assertEquals(405, get.statusCode());
        assertEquals(ResourceState.ISP, state(0, ROOT), "nothing changed");
    }

    @Test
    void restoreOnTheBackupSwitchesTheHierarchyOverAndRestartIsRefusedWhereItDoesNotRun() throws Exception {
        ActionOutcome moved = outcome(action(1, "fs-/share", "restore"));
        assertTrue(moved.succeeded(), moved.toString());
        assertEquals("n2", moved.server());
        assertEquals(ResourceState.ISP, state(1, ROOT));
        TestSupport.await("n1 out of service", WAIT, () -> state(0, ROOT) == ResourceState.OSU);
        assertTrue(mainLog().contains("switching " + ROOT + " over to n2 on operator request"), mainLog());
        HttpResponse<String> restart = action(0, ROOT, "restart");
        assertEquals(409, restart.statusCode());
        assertTrue(error(restart).startsWith("hierarchy \"" + ROOT + "\" is not in service on n1"), restart.body());
    }

    @Test
    void removeNamingAChildTakesTheWholeHierarchyOutOfServiceAndNothingBringsItBack() throws Exception {
        int logSize = mainLog().length();
        ActionOutcome removed = outcome(action(0, "fs-/share", "remove"));
        assertTrue(removed.succeeded());
        assertEquals(ROOT, removed.hierarchy());
        assertEquals("remove", removed.action());
        assertEquals("n1", removed.server());
        assertEquals("hierarchy \"" + ROOT + "\" is out of service on n1", removed.message());
        assertEquals(List.of(ROOT, "ip-10.200.0.100", "fs-/share"), removed.resources().stream()
                .map(ActionOutcome.Resource::tag).toList());
        assertTrue(removed.resources().stream().allMatch(r -> r.state() == ResourceState.OSU), removed.toString());
        Thread.sleep(2500); // more than two check intervals
        for (String tag : TAGS) {
            assertEquals(ResourceState.OSU, state(0, tag), tag);
            assertEquals(ResourceState.OSU, state(1, tag), tag);
        }
        String since = mainLog().substring(logSize);
        assertFalse(since.contains("RECOVERY"), since);
        assertFalse(since.contains("\" is in service on"), "nothing brought it back: " + since);
    }

    @Test
    void afterARemoveThereTheOperatorBringsItInServiceOnTheBackup() throws Exception {
        assertTrue(outcome(action(0, ROOT, "remove")).succeeded());
        TestSupport.await("n2 sees it out of service on n1", WAIT, () -> status(1).server("n1").orElseThrow()
                .resources().get(ROOT).state() == ResourceState.OSU);
        ActionOutcome restored = outcome(action(1, ROOT, "restore"));
        assertTrue(restored.succeeded(), restored.toString());
        assertEquals("n2", restored.server());
        assertTrue(restored.resources().stream().allMatch(r -> r.state() == ResourceState.ISP
                && r.reason().equals("restore action has succeeded")), restored.toString());
        TestSupport.await("n1 sees it on n2", WAIT, () -> status(0).server("n2").orElseThrow().resources().get(ROOT)
                .state() == ResourceState.ISP);
        assertTrue(outcome(action(0, ROOT, "restore")).succeeded(), "a restore on n1 switches it back");
        assertEquals(ResourceState.OSU, state(1, ROOT));
    }

    @Test
    void restartTakesItOutAndBringsItBackInService() throws Exception {
        ActionOutcome restarted = outcome(action(0, "ip-10.200.0.100", "restart"));
        assertTrue(restarted.succeeded(), restarted.toString());
        assertEquals("restart", restarted.action());
        assertTrue(restarted.resources().stream().allMatch(r -> r.state() == ResourceState.ISP), restarted.toString());
        assertTrue(mainLog().contains("n1 INFO  hierarchy \"" + ROOT + "\" is in service on \"n1\" (restart requested by "
                + "the operator)"));
    }
}
