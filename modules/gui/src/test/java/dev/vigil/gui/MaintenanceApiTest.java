package dev.vigil.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.ServerState;
import dev.vigil.daemon.TestSupport;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Maintenance mode through the REST API of n1's real GUI server on a real two-server cluster
 * whose second hierarchy, {@code app-n2}, only n2 may run (so n1 sets it through remote exec and
 * shows it from n2's record): on and off for one hierarchy and for every hierarchy, shown in the
 * hierarchies' JSON; guests, requests without a session or CSRF token, unknown tags and bad
 * bodies refused in words with nothing changed; a hierarchy whose servers are all Dead refused
 * for every hierarchy at once with nothing changed; a daemon that does not run answered in JSON.
 * Every test leaves maintenance mode off; the last ones crash n2, then n1.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MaintenanceApiTest {
    private static final String ROOT = GuiCluster.ROOT;
    private static final String PG = "/api/v1/hierarchies/" + URLEncoder.encode(ROOT, StandardCharsets.UTF_8);
    private static final String FS = "/api/v1/hierarchies/fs-%2Fshare";
    private static final String APP = "/api/v1/hierarchies/app-n2";
    private static GuiCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new GuiCluster("{ tag = app-n2, priorities { n2 = 1 }, resources = [ { tag = app-n2, type = generic } ] }");
        cluster.awaitFormed();
        ApiClient guest = loggedIn("guest");
        TestSupport.await("app-n2 in service on n2", GuiCluster.WAIT,
                () -> "n2".equals(guest.get(APP).json().path("owner").asText()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void anOperatorTurnsMaintenanceOnAndOffForTheHierarchyOfAnyOfItsTags() throws Exception {
        ApiClient oper = loggedIn("oper");
        assertFalse(maintenanceOf(oper, PG));
        ApiClient.Answer on = oper.change("POST", FS + "/maintenance", "{\"maintenance\": \"on\"}");
        assertEquals(200, on.status(), on.body());
        assertEquals(Json.mapper().readTree("{\"hierarchy\": \"" + ROOT + "\", \"maintenance\": true, \"changed\": true, "
                + "\"server\": \"n1\", \"message\": \"hierarchy \\\"" + ROOT + "\\\" is in maintenance mode\"}"), on.json());
        awaitMaintenance(oper, PG, true);
        assertTrue(oper.get("/api/v1/cluster").json().get("hierarchies").get(0).get("maintenance").asBoolean());
        ApiClient.Answer again = oper.change("POST", PG + "/maintenance", "{\"maintenance\": \"on\"}");
        assertEquals(200, again.status(), again.body());
        assertFalse(again.json().get("changed").asBoolean(), "already in maintenance mode: " + again.body());
        ApiClient.Answer off = oper.change("POST", PG + "/maintenance", "{\"maintenance\": \"off\"}");
        assertEquals(200, off.status(), off.body());
        assertEquals("hierarchy \"" + ROOT + "\" is out of maintenance mode", off.json().get("message").asText());
        awaitMaintenance(oper, PG, false);
        String log = cluster.guiLog();
        assertTrue(log.contains("user 'oper' (operator) asks: maintenance on for hierarchy \"" + ROOT + "\""), log);
        assertTrue(log.contains("maintenance off for hierarchy \"" + ROOT + "\" for user 'oper' (operator): done: "
                + "hierarchy \"" + ROOT + "\" is out of maintenance mode"), log);
    }

    @Test
    @Order(2)
    void aHierarchyThisServerDoesNotRunIsSetByTheServerThatRunsIt() {
        ApiClient admin = loggedIn("admin");
        ApiClient.Answer on = admin.change("POST", APP + "/maintenance", "{\"maintenance\": \"on\"}");
        assertEquals(200, on.status(), on.body());
        assertEquals("n2", on.json().get("server").asText(), "through remote exec on n2: " + on.body());
        assertEquals("hierarchy \"app-n2\" is in maintenance mode", on.json().get("message").asText());
        awaitMaintenance(admin, APP, true);
        assertFalse(maintenanceOf(admin, PG), "the other hierarchy is untouched");
        assertEquals(200, admin.change("POST", APP + "/maintenance", "{\"maintenance\": \"off\"}").status());
        awaitMaintenance(admin, APP, false);
    }

    @Test
    @Order(3)
    void everyHierarchyAtOnceOnAndOff() {
        ApiClient oper = loggedIn("oper");
        ApiClient.Answer on = oper.change("POST", "/api/v1/maintenance", "{\"maintenance\": \"on\"}");
        assertEquals(200, on.status(), on.body());
        assertTrue(on.json().get("maintenance").asBoolean());
        assertEquals("every hierarchy is in maintenance mode (changed: " + ROOT + ", app-n2)",
                on.json().get("message").asText());
        assertEquals(2, on.json().get("hierarchies").size());
        assertEquals("n2", on.json().get("hierarchies").get(1).get("server").asText());
        awaitMaintenance(oper, PG, true);
        awaitMaintenance(oper, APP, true);
        ApiClient.Answer again = oper.change("POST", "/api/v1/maintenance", "{\"maintenance\": \"on\"}");
        assertEquals(200, again.status(), again.body());
        assertEquals("every hierarchy is in maintenance mode (nothing had to change)", again.json().get("message").asText());
        assertTrue(again.json().get("hierarchies").get(0).get("server").isNull());
        ApiClient.Answer off = oper.change("POST", "/api/v1/maintenance", "{\"maintenance\": \"off\"}");
        assertEquals(200, off.status(), off.body());
        assertEquals("no hierarchy is in maintenance mode (changed: " + ROOT + ", app-n2)", off.json().get("message").asText());
        awaitMaintenance(oper, PG, false);
        awaitMaintenance(oper, APP, false);
    }

    @Test
    @Order(4)
    void aGuestAndARequestWithoutSessionOrCsrfTokenChangeNothing() throws Exception {
        ApiClient guest = loggedIn("guest");
        for (String path : new String[] {PG + "/maintenance", "/api/v1/maintenance"}) {
            ApiClient.Answer a = guest.change("POST", path, "{\"maintenance\": \"on\"}");
            assertEquals(403, a.status(), a.body());
            assertEquals("user 'guest' (guest) may not change maintenance mode: an operator or administrator may",
                    a.json().get("error").asText());
            ApiClient.Answer anonymous = new ApiClient(cluster.url()).send("POST", path, "{\"maintenance\": \"on\"}", Map.of());
            assertEquals(401, anonymous.status(), anonymous.body());
            assertTrue(anonymous.json().get("error").asText().startsWith("not logged in"), anonymous.body());
            ApiClient.Answer noToken = loggedIn("oper").send("POST", path, "{\"maintenance\": \"on\"}", Map.of());
            assertEquals(403, noToken.status(), noToken.body());
            assertTrue(noToken.json().get("error").asText().startsWith("missing or wrong X-Vigil-CSRF header"));
        }
        Thread.sleep(1500); // a request carried out anyway would show within a feed poll or two
        assertFalse(maintenanceOf(guest, PG));
        assertFalse(maintenanceOf(guest, APP));
        assertTrue(cluster.guiLog().contains("refused for user 'guest' (guest): user 'guest' (guest) may not change "
                + "maintenance mode"), cluster.guiLog());
    }

    @Test
    @Order(5)
    void unknownTagsAndBadBodiesAreRefusedInWords() {
        ApiClient oper = loggedIn("oper");
        ApiClient.Answer a = oper.change("POST", "/api/v1/hierarchies/pg-main/maintenance", "{\"maintenance\": \"on\"}");
        assertEquals(404, a.status(), a.body());
        assertEquals("unknown tag 'pg-main': no resource or hierarchy of that name; known tags: " + ROOT
                + ", ip-10.200.0.100, fs-/share, app-n2", a.json().get("error").asText());
        Map<String, String> bad = Map.of(
                "{\"maintenance\": \"later\"}", "invalid value \"later\" for field \"maintenance\": must be one of \"on\", \"off\"",
                "{\"mode\": \"on\"}", "unknown field \"mode\"; expected a JSON object {\"maintenance\": \"...\"}",
                "on", "request body is not JSON; expected a JSON object {\"maintenance\": \"...\"}",
                "{}", "missing field \"maintenance\"; expected a JSON object {\"maintenance\": \"...\"}");
        for (String path : new String[] {PG + "/maintenance", "/api/v1/maintenance"}) {
            for (Map.Entry<String, String> b : bad.entrySet()) {
                a = oper.change("POST", path, b.getKey());
                assertEquals(400, a.status(), a.body());
                assertEquals(b.getValue(), a.json().get("error").asText());
            }
            a = oper.get(path);
            assertEquals(405, a.status(), a.body());
            assertEquals("method GET not allowed on " + path + "; use POST", a.json().get("error").asText());
        }
        assertFalse(maintenanceOf(oper, PG));
    }

    @Test
    @Order(6)
    void withTheOnlyServerOfAHierarchyDeadNoHierarchyChangesAndAQuorumlessServerRefuses() throws Exception {
        cluster.crash(1);
        ApiClient oper = loggedIn("oper");
        TestSupport.await("n2 Dead for n1", GuiCluster.WAIT, () -> ServerState.DEAD.name().equals(
                oper.get("/api/v1/servers/n2").json().path("state").asText()));
        ApiClient.Answer app = oper.change("POST", APP + "/maintenance", "{\"maintenance\": \"on\"}");
        assertEquals(409, app.status(), app.body());
        assertEquals("maintenance mode of hierarchy \"app-n2\" cannot be changed now: every server that may run it (n2) "
                + "is Dead", app.json().get("error").asText());
        ApiClient.Answer all = oper.change("POST", "/api/v1/maintenance", "{\"maintenance\": \"on\"}");
        assertEquals(409, all.status(), all.body());
        assertTrue(all.json().get("error").asText().endsWith("is Dead; nothing changed"), all.body());
        ApiClient.Answer pg = oper.change("POST", PG + "/maintenance", "{\"maintenance\": \"on\"}");
        assertEquals(409, pg.status(), pg.body());
        assertTrue(pg.json().get("error").asText().contains("n1 cannot decide for the cluster now: it sees no majority"),
                pg.body());
        assertFalse(maintenanceOf(oper, PG));
    }

    @Test
    @Order(7)
    void aDaemonThatDoesNotRunIsAnsweredInJson() throws Exception {
        ApiClient oper = loggedIn("oper");
        cluster.crash(0);
        for (String path : new String[] {PG + "/maintenance", "/api/v1/maintenance"}) {
            ApiClient.Answer a = oper.change("POST", path, "{\"maintenance\": \"on\"}");
            assertEquals(503, a.status(), a.body());
            assertTrue(a.json().get("error").asText().startsWith("Vigil does not appear to be running on server \"n1\""),
                    a.body());
        }
    }

    private static boolean maintenanceOf(ApiClient c, String hierarchy) {
        ApiClient.Answer a = c.get(hierarchy);
        assertEquals(200, a.status(), a.body());
        return a.json().get("maintenance").asBoolean();
    }

    /** The status follows the daemon's record within a moment (the placement answers as it records). */
    private static void awaitMaintenance(ApiClient c, String hierarchy, boolean on) {
        TestSupport.await(hierarchy + " maintenance " + on, GuiCluster.WAIT, () -> maintenanceOf(c, hierarchy) == on);
    }

    private static ApiClient loggedIn(String user) {
        ApiClient c = new ApiClient(cluster.url());
        assertEquals(200, c.login(user, user + "-pw").status());
        return c;
    }
}
