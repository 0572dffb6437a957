package dev.vigil.gui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.ServerState;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.users.Role;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a user may change from the GUI: a hierarchy in service on a chosen server (on another
 * server than its owner this is a switchover, carried out by that server's {@code perform_action
 * restore}), out of service on a server, and a server's shutdown strategy. Everything is checked
 * against the daemon's current status before anything is asked of it (role, tag, server, state),
 * so a refused request changes nothing; the action itself runs on the server it concerns: here
 * through the admin API, on another server through remote exec. Every request and its outcome
 * goes to the GUI log.
 */
public final class Actions {
    /** How long an action may take: the remote exec limit the original uses (REMOTETIMEOUT). */
    public static final Duration ACTION_TIMEOUT = Duration.ofSeconds(900);

    private final DaemonLink daemon;
    private final VigilConfig config;
    private final GuiLog log;

    public Actions(DaemonLink daemon, VigilConfig config, GuiLog log) {
        this.daemon = daemon;
        this.config = config;
        this.log = log;
    }

    /** {@code in-service} (perform_action restore) or {@code out-of-service} (remove) of the hierarchy of {@code tag} on {@code body.server}. */
    public ApiResult hierarchy(Caller caller, String tag, String verb, String body) {
        boolean in = verb.equals("in-service");
        String what = in ? "bring hierarchies in service" : "take hierarchies out of service";
        if (!caller.role().allows(Role.OPERATOR)) {
            return refuse(caller, 403, caller.who() + " may not " + what + ": an operator or administrator may");
        }
        Body b = Body.read(body, "server", List.of("server"));
        if (b.error() != null) {
            return ApiResult.error(400, b.error());
        }
        String server = b.value();
        Checked c = check(tag);
        if (c.error() != null) {
            return c.error();
        }
        ClusterView.Hierarchy h = c.view().hierarchyOf(tag).orElseThrow();
        Optional<ClusterView.Server> target = c.view().server(server);
        if (target.isEmpty()) {
            return ApiResult.error(404, "unknown server '" + server + "'; known servers: " + servers(c.view()));
        }
        if (target.get().state() == ServerState.DEAD) {
            return refuse(caller, 409, "server " + server + " is DEAD: it cannot take hierarchy \"" + h.tag() + "\" "
                    + (in ? "in" : "out of") + " service");
        }
        if (!h.priorities().containsKey(server)) {
            return refuse(caller, 409, "hierarchy \"" + h.tag() + "\" cannot run on server " + server
                    + ": its priorities name only " + String.join(", ", h.priorities().keySet()));
        }
        boolean running = h.states().get(server) != null && h.states().get(server).code().inService();
        if (in && running) {
            return refuse(caller, 409, "hierarchy \"" + h.tag() + "\" is already in service on " + server);
        }
        if (!in && !running) {
            return refuse(caller, 409, "hierarchy \"" + h.tag() + "\" is not in service on " + server
                    + " (" + h.states().get(server).word() + ")");
        }
        String action = in ? "restore" : "remove";
        log.info(caller.who() + " asks: hierarchy \"" + h.tag() + "\" " + (in ? "in service" : "out of service")
                + " on " + server + (in && h.owner() != null ? " (switchover from " + h.owner() + ")" : ""));
        ApiResult result = server.equals(config.serverName()) ? local(h.tag(), action, verb, server)
                : remote(h.tag(), action, verb, server);
        log.info("hierarchy \"" + h.tag() + "\" " + (in ? "in service" : "out of service") + " on " + server + " for "
                + caller.who() + ": " + result.summary());
        return result;
    }

    /** Sets {@code server}'s shutdown strategy ({@code body.strategy}); administrators only. */
    public ApiResult shutdownStrategy(Caller caller, String server, String body) {
        if (!caller.role().allows(Role.ADMINISTRATOR)) {
            return refuse(caller, 403, caller.who() + " may not change server properties: an administrator may");
        }
        Body b = Body.read(body, "strategy", List.of("strategy"));
        if (b.error() != null) {
            return ApiResult.error(400, b.error());
        }
        if (!List.of("switchover", "do-not-switchover").contains(b.value())) {
            return ApiResult.error(400, "invalid value \"" + b.value() + "\" for field \"strategy\": must be one of "
                    + "\"switchover\", \"do-not-switchover\"");
        }
        if (config.cluster().server(server).isEmpty()) {
            return ApiResult.error(404, "unknown server '" + server + "'; known servers: " + String.join(", ",
                    config.cluster().servers().stream().map(s -> s.name()).toList()));
        }
        log.info(caller.who() + " sets the shutdown strategy of " + server + " to " + b.value());
        DaemonLink.Reply r;
        if (server.equals(config.serverName())) {
            r = daemon.shutdownStrategy(b.value());
        } else {
            r = daemon.remoteExec(server, List.of("vigil", "shutdown-strategy", b.value()), Duration.ofSeconds(60));
            if (r.ok() && r.body().path("exitCode").asInt(-1) != 0) {
                return logged(ApiResult.error(409, "server " + server + " refused: " + r.body().path("stdout").asText().strip()));
            }
        }
        if (!r.ok()) {
            return logged(ApiResult.error(r.status() == 0 ? 503 : r.status(), r.message()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("server", server);
        out.put("shutdownStrategy", b.value().equals("switchover") ? "SWITCHOVER" : "DO_NOT_SWITCHOVER");
        return logged(ApiResult.ok(out));
    }

    private ApiResult logged(ApiResult r) {
        log.info("shutdown strategy change: " + r.summary());
        return r;
    }

    /** The cluster now, or (with a null view) the error answer saying why it cannot be read. */
    record Checked(ClusterView view, ApiResult error) {
    }

    /** The daemon's current status in the GUI's words: what every check before an action reads. */
    Checked current() {
        DaemonLink.Reply reply = daemon.status();
        ClusterStatus status = reply.ok() ? DaemonLink.parse(reply) : null;
        if (status == null) {
            return new Checked(null, ApiResult.error(503, reply.ok() ? "the daemon answered a status the GUI cannot read"
                    : reply.message()));
        }
        return new Checked(ClusterView.of(status), null);
    }

    /** As {@link #current()}, and 404 when no hierarchy has a resource {@code tag}. */
    Checked check(String tag) {
        Checked c = current();
        if (c.error() != null) {
            return c;
        }
        ClusterView view = c.view();
        if (view.hierarchyOf(tag).isEmpty()) {
            return new Checked(view, ApiResult.error(404, "unknown tag '" + tag
                    + "': no resource or hierarchy of that name; known tags: " + String.join(", ", view.tags())));
        }
        return new Checked(view, null);
    }

    private ApiResult local(String root, String action, String verb, String server) {
        DaemonLink.Reply r = daemon.action(root, action, ACTION_TIMEOUT);
        if (r.status() == 0) {
            return ApiResult.error(503, r.message());
        }
        if (!r.ok()) {
            return ApiResult.error(r.status(), r.message());
        }
        return outcome(root, verb, server, r.body().path("succeeded").asBoolean(), r.body().path("message").asText());
    }

    private ApiResult remote(String root, String action, String verb, String server) {
        DaemonLink.Reply r = daemon.remoteExec(server, List.of("perform_action", "-t", root, "-a", action), ACTION_TIMEOUT);
        if (r.status() == 0) {
            return ApiResult.error(503, r.message());
        }
        if (!r.ok()) {
            return ApiResult.error(r.status(), r.message());
        }
        int exit = r.body().path("exitCode").asInt(-1);
        String output = r.body().path("stdout").asText().strip();
        if (exit == 0) {
            return outcome(root, verb, server, true, "hierarchy \"" + root + "\" is "
                    + (action.equals("restore") ? "in service" : "out of service") + " on " + server);
        }
        String last = output.isEmpty() ? "perform_action exited with code " + exit
                : output.lines().reduce((a, b) -> b).orElse(output);
        if (output.contains("refused:")) {
            return ApiResult.error(409, "server " + server + ": " + last);
        }
        return outcome(root, verb, server, false, "server " + server + ": " + last);
    }

    private static ApiResult outcome(String root, String verb, String server, boolean succeeded, String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hierarchy", root);
        out.put("action", verb);
        out.put("server", server);
        out.put("succeeded", succeeded);
        out.put("message", message);
        return ApiResult.ok(out);
    }

    /** A refusal, written to the GUI log with who asked. */
    ApiResult refuse(Caller caller, int status, String message) {
        log.warn("refused for " + caller.who() + ": " + message);
        return ApiResult.error(status, message);
    }

    private static String servers(ClusterView view) {
        return String.join(", ", view.servers().stream().map(ClusterView.Server::name).toList());
    }

    /** A request body of one required string field among {@code allowed}. */
    record Body(String value, String error) {
        static Body read(String text, String field, List<String> allowed) {
            String expected = "expected a JSON object {\"" + field + "\": \"...\"}";
            JsonNode json;
            try {
                json = text == null || text.isBlank() ? null : Json.mapper().readTree(text);
            } catch (java.io.IOException e) {
                return new Body(null, "request body is not JSON; " + expected);
            }
            if (json == null || !json.isObject()) {
                return new Body(null, "request body: " + expected);
            }
            for (java.util.Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!allowed.contains(name)) {
                    return new Body(null, "unknown field \"" + name + "\"; " + expected);
                }
            }
            JsonNode v = json.get(field);
            if (v == null || !v.isTextual() || v.asText().isBlank()) {
                return new Body(null, "missing field \"" + field + "\"; " + expected);
            }
            return new Body(v.asText(), null);
        }
    }
}
