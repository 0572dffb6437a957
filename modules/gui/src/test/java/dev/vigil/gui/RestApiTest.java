package dev.vigil.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST API of a real GUI server on a real two-server cluster: every route of openapi.json
 * answers with a documented status and the documented shape; no session → 401 and nothing
 * changes; roles, CSRF and origin checks; wrong passwords slowed down and logged; errors in words.
 * Maintenance mode's routes in depth: {@link MaintenanceApiTest}.
 */
class RestApiTest {
    private static final String TAG = URLEncoder.encode(GuiCluster.ROOT, StandardCharsets.UTF_8);
    private static GuiCluster cluster;
    private static JsonNode doc;

    @BeforeAll
    static void start() throws Exception {
        cluster = new GuiCluster();
        try (InputStream in = RestApiTest.class.getResourceAsStream("/gui/openapi.json")) {
            doc = Json.mapper().readTree(in);
        }
        cluster.awaitFormed();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One sample request per documented route, chosen so that it leaves the cluster as it is. */
    private static Map<String, String[]> samples() {
        Map<String, String[]> s = new LinkedHashMap<>();
        s.put("post /api/v1/login", new String[] {"/api/v1/login", "{\"user\": \"admin\", \"password\": \"admin-pw\"}"});
        s.put("get /api/v1/session", new String[] {"/api/v1/session", null});
        s.put("get /api/v1/cluster", new String[] {"/api/v1/cluster", null});
        s.put("get /api/v1/servers", new String[] {"/api/v1/servers", null});
        s.put("get /api/v1/servers/{name}", new String[] {"/api/v1/servers/n2", null});
        s.put("put /api/v1/servers/{name}/shutdown-strategy",
                new String[] {"/api/v1/servers/n1/shutdown-strategy", "{\"strategy\": \"do-not-switchover\"}"});
        s.put("get /api/v1/comm-paths", new String[] {"/api/v1/comm-paths", null});
        s.put("get /api/v1/hierarchies", new String[] {"/api/v1/hierarchies", null});
        s.put("get /api/v1/hierarchies/{tag}", new String[] {"/api/v1/hierarchies/fs-%2Fshare", null});
        s.put("post /api/v1/hierarchies/{tag}/in-service",
                new String[] {"/api/v1/hierarchies/" + TAG + "/in-service", "{\"server\": \"n1\"}"});
        s.put("post /api/v1/hierarchies/{tag}/out-of-service",
                new String[] {"/api/v1/hierarchies/" + TAG + "/out-of-service", "{\"server\": \"n2\"}"});
        s.put("post /api/v1/hierarchies/{tag}/maintenance",
                new String[] {"/api/v1/hierarchies/" + TAG + "/maintenance", "{\"maintenance\": \"off\"}"});
        s.put("post /api/v1/maintenance", new String[] {"/api/v1/maintenance", "{\"maintenance\": \"off\"}"});
        s.put("get /api/v1/resources", new String[] {"/api/v1/resources", null});
        s.put("get /api/v1/events", new String[] {"/api/v1/events?limit=20", null});
        s.put("get /api/v1/logs", new String[] {"/api/v1/logs?type=LCD&lines=10", null});
        s.put("get /api/v1/stream", new String[] {"/api/v1/stream", null});
        s.put("post /api/v1/logout", new String[] {"/api/v1/logout", "{}"});
        return s;
    }

    private static List<String> documentedRoutes() {
        List<String> routes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> p = doc.get("paths").fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> path = p.next();
            path.getValue().fieldNames().forEachRemaining(m -> routes.add(m + " " + path.getKey()));
        }
        return routes;
    }

    @Test
    void everyDocumentedRouteAnswersWithTheDocumentedShape() throws Exception {
        Map<String, String[]> samples = samples();
        assertEquals(List.copyOf(samples.keySet()).stream().sorted().toList(),
                documentedRoutes().stream().sorted().toList(), "every documented route has a sample, and no other");
        ApiClient api = new ApiClient(cluster.url());
        OpenApiShape shape = new OpenApiShape(doc);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String[]> e : samples.entrySet()) {
            String method = e.getKey().split(" ")[0];
            String docPath = e.getKey().split(" ")[1];
            JsonNode responses = doc.get("paths").get(docPath).get(method).get("responses");
            if (docPath.equals("/api/v1/stream")) {
                problems.addAll(checkStream(api, shape));
                continue;
            }
            ApiClient.Answer a = method.equals("get") ? api.get(e.getValue()[0])
                    : docPath.equals("/api/v1/login") ? api.login("admin", "admin-pw")
                    : api.change(method.toUpperCase(), e.getValue()[0], e.getValue()[1]);
            JsonNode documented = responses.get(Integer.toString(a.status()));
            if (documented == null) {
                problems.add(e.getKey() + ": status " + a.status() + " is not documented: " + a.body());
                continue;
            }
            JsonNode schema = documented.path("content").path("application/json").path("schema");
            shape.check(schema, a.json()).forEach(p -> problems.add(e.getKey() + " " + a.status() + ": " + p));
        }
        assertEquals(List.of(), problems);
    }

    /** The stream answers text/event-stream, and its first event is the cluster in the documented shape. */
    private static List<String> checkStream(ApiClient api, OpenApiShape shape) throws Exception {
        String cookie = api.get("/api/v1/session").status() == 200 ? cookieOf(api) : "";
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(cluster.url() + "api/v1/stream"))
                .header("Cookie", cookie).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = r.body()) {
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            Iterator<String> it = lines.iterator();
            String event = null;
            String data = null;
            for (String line = it.next(); !line.isEmpty(); line = it.next()) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data = line.substring(5).strip();
                }
            }
            assertEquals("cluster", event, "the first event of the stream");
            JsonNode cluster = Json.mapper().readTree(data);
            return shape.check(doc.at("/components/schemas/Cluster"), cluster).stream()
                    .map(p -> "get /api/v1/stream: " + p).toList();
        }
    }

    private static String cookieOf(ApiClient api) {
        try {
            var f = ApiClient.class.getDeclaredField("cookie");
            f.setAccessible(true);
            return (String) f.get(api);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void withoutASessionEveryRouteAnswers401AndNothingChanges() {
        ApiClient anonymous = new ApiClient(cluster.url());
        for (Map.Entry<String, String[]> e : samples().entrySet()) {
            if (e.getKey().contains("/login")) {
                continue;
            }
            String method = e.getKey().split(" ")[0].toUpperCase();
            ApiClient.Answer a = anonymous.send(method, e.getValue()[0], e.getValue()[1], Map.of());
            assertEquals(401, a.status(), e.getKey() + ": " + a.body());
            assertTrue(a.json().get("error").asText().startsWith("not logged in"), a.body());
        }
        ApiClient.Answer out = anonymous.send("POST", "/api/v1/hierarchies/" + TAG + "/out-of-service",
                "{\"server\": \"n1\"}", Map.of());
        assertEquals(401, out.status());
        ApiClient admin = loggedIn("admin");
        assertEquals("n1", admin.get("/api/v1/hierarchies/" + TAG).json().get("owner").asText());
    }

    @Test
    void rolesDecideWhatAUserMayChange() throws Exception {
        ApiClient guest = loggedIn("guest");
        assertEquals(200, guest.get("/api/v1/cluster").status());
        assertEquals(200, guest.get("/api/v1/logs?type=log&lines=5").status());
        ApiClient.Answer a = guest.change("POST", "/api/v1/hierarchies/" + TAG + "/out-of-service", "{\"server\": \"n1\"}");
        assertEquals(403, a.status());
        assertEquals("user 'guest' (guest) may not take hierarchies out of service: an operator or administrator may",
                a.json().get("error").asText());
        ApiClient oper = loggedIn("oper");
        a = oper.change("PUT", "/api/v1/servers/n1/shutdown-strategy", "{\"strategy\": \"switchover\"}");
        assertEquals(403, a.status());
        assertEquals("user 'oper' (operator) may not change server properties: an administrator may",
                a.json().get("error").asText());
        assertEquals("n1", oper.get("/api/v1/hierarchies/" + TAG).json().get("owner").asText());
        assertTrue(cluster.guiLog().contains("refused for user 'guest' (guest)"), cluster.guiLog());
    }

    @Test
    void stateChangingRequestsNeedTheCsrfTokenAndThisOrigin() {
        ApiClient oper = loggedIn("oper");
        ApiClient.Answer a = oper.send("POST", "/api/v1/hierarchies/" + TAG + "/out-of-service", "{\"server\": \"n1\"}",
                Map.of());
        assertEquals(403, a.status());
        assertTrue(a.json().get("error").asText().startsWith("missing or wrong X-Vigil-CSRF header"), a.body());
        a = oper.send("POST", "/api/v1/logout", "{}", Map.of("Origin", "http://evil.example"));
        assertEquals(403, a.status());
        assertTrue(a.json().get("error").asText().startsWith("cross-site request refused: origin http://evil.example"));
        assertEquals(200, oper.get("/api/v1/session").status(), "the session is still there");
    }

    @Test
    void sessionCookieIsHttpOnlyAndSameSiteStrict() {
        String setCookie = new ApiClient(cluster.url()).setCookieHeaderOfLogin("guest", "guest-pw");
        assertTrue(setCookie.startsWith(Sessions.COOKIE + "="), setCookie);
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        assertTrue(setCookie.contains("Path=/"), setCookie);
    }

    @Test
    void repeatedWrongPasswordsAreSlowedDownAndLogged() throws IOException {
        ApiClient c = new ApiClient(cluster.url());
        for (int i = 0; i < LoginGuard.FREE_FAILURES; i++) {
            ApiClient.Answer a = c.login("mallory", "guess" + i);
            assertEquals(401, a.status());
            assertEquals("wrong user name or password", a.json().get("error").asText());
        }
        ApiClient.Answer blocked = c.login("mallory", "guess");
        assertEquals(429, blocked.status(), blocked.body());
        assertTrue(blocked.json().get("error").asText().startsWith("too many failed logins for user 'mallory'; try again in"));
        assertTrue(blocked.json().get("retryAfterSeconds").asInt() >= 1);
        String log = cluster.guiLog();
        assertTrue(log.contains("login failed: user 'mallory' from 127.0.0.1: wrong user name or password (3 in a row; "
                + "next attempt allowed in 2 s)"), log);
        assertTrue(log.contains("login of user 'mallory' from 127.0.0.1 refused: too many failed logins"), log);
        assertEquals(200, c.login("guest", "guest-pw").status(), "another user from the same address is not blocked");
    }

    @Test
    void errorsSayWhatIsWrongInWords() {
        ApiClient admin = loggedIn("admin");
        ApiClient.Answer a = admin.change("POST", "/api/v1/hierarchies/pg-main/in-service", "{\"server\": \"n2\"}");
        assertEquals(404, a.status());
        assertEquals("unknown tag 'pg-main': no resource or hierarchy of that name; known tags: powergres-/share/data, "
                + "ip-10.200.0.100, fs-/share", a.json().get("error").asText());
        a = admin.change("POST", "/api/v1/hierarchies/" + TAG + "/in-service", "{\"server\": \"n9\"}");
        assertEquals(404, a.status());
        assertEquals("unknown server 'n9'; known servers: n1, n2", a.json().get("error").asText());
        a = admin.change("POST", "/api/v1/hierarchies/" + TAG + "/in-service", "{\"to\": \"n2\"}");
        assertEquals(400, a.status());
        assertEquals("unknown field \"to\"; expected a JSON object {\"server\": \"...\"}", a.json().get("error").asText());
        a = admin.change("POST", "/api/v1/hierarchies/" + TAG + "/in-service", "{\"server\": \"n1\"}");
        assertEquals(409, a.status());
        assertEquals("hierarchy \"powergres-/share/data\" is already in service on n1", a.json().get("error").asText());
        a = admin.get("/api/v1/logs?type=syslog");
        assertEquals(400, a.status());
        assertEquals("unknown log type \"syslog\"; types: log, LCD, LCM, TTYLCM, remote exec, GUI, SNMP",
                a.json().get("error").asText());
        a = admin.get("/api/v1/events?limit=0");
        assertEquals(400, a.status());
        a = admin.get("/api/v1/hierarchies/" + TAG + "/in-service");
        assertEquals(405, a.status());
        assertEquals("method GET not allowed on /api/v1/hierarchies/" + TAG + "/in-service; use POST",
                a.json().get("error").asText());
        a = admin.change("DELETE", "/api/v1/servers/n1", null);
        assertEquals(405, a.status());
        assertEquals("method DELETE not allowed on /api/v1/servers/n1; use GET", a.json().get("error").asText());
        a = admin.get("/api/v1/nothing");
        assertEquals(404, a.status());
        assertTrue(a.json().get("error").asText().startsWith("no such route: GET /api/v1/nothing"));
        ApiClient c = new ApiClient(cluster.url());
        a = c.send("POST", "/api/v1/login", "{\"server\": \"n2\", \"user\": \"admin\", \"password\": \"admin-pw\"}", Map.of());
        assertEquals(409, a.status());
        assertEquals(cluster.guiConfig.gui().url("127.0.0.1"), a.json().get("redirect").asText());
    }

    @Test
    void logsOfAnotherServerComeThroughRemoteExec() {
        ApiClient guest = loggedIn("guest");
        ApiClient.Answer a = guest.get("/api/v1/logs?server=n2&type=log&lines=30");
        assertEquals(200, a.status(), a.body());
        assertEquals("n2", a.json().get("server").asText());
        assertTrue(a.json().get("lines").size() > 0 && a.json().get("lines").size() <= 30, a.body());
    }

    private static ApiClient loggedIn(String user) {
        ApiClient c = new ApiClient(cluster.url());
        assertEquals(200, c.login(user, user + "-pw").status());
        return c;
    }
}
