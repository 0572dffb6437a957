package dev.vigil.gui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.config.ServerConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.users.Role;
import dev.vigil.core.users.UserFile;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The login dialog's check: server, login and password against the users of {@code lkpasswd}.
 * A wrong password or unknown user gets the same answer; repeated failures are slowed down
 * ({@link LoginGuard}) and every failure and login is written to the GUI log.
 */
public final class Logins {
    private final VigilConfig config;
    private final Sessions sessions;
    private final LoginGuard guard;
    private final GuiLog log;

    /** The outcome: the answer and, on success, the new session. */
    public record Outcome(ApiResult result, Sessions.Session session) {
    }

    public Logins(VigilConfig config, Sessions sessions, LoginGuard guard, GuiLog log) {
        this.config = config;
        this.sessions = sessions;
        this.guard = guard;
        this.log = log;
    }

    public Outcome login(String body, String address) {
        JsonNode json;
        try {
            json = body == null || body.isBlank() ? null : Json.mapper().readTree(body);
        } catch (IOException e) {
            json = null;
        }
        String expected = "expected a JSON object {\"server\": \"...\", \"user\": \"...\", \"password\": \"...\"}";
        if (json == null || !json.isObject() || !json.path("user").isTextual() || !json.path("password").isTextual()) {
            return new Outcome(ApiResult.error(400, "request body: " + expected), null);
        }
        String server = json.path("server").asText("").strip();
        if (!server.isEmpty() && !server.equals(config.serverName())) {
            Optional<ServerConfig> other = config.cluster().server(server);
            if (other.isEmpty()) {
                return new Outcome(ApiResult.error(404, "unknown server '" + server + "'; known servers: "
                        + String.join(", ", config.cluster().servers().stream().map(ServerConfig::name).toList())), null);
            }
            String url = config.gui().url(other.get().host());
            return new Outcome(ApiResult.error(409, "this is the GUI of server " + config.serverName()
                    + "; to log in to " + server + " open " + url, Map.of("redirect", url)), null);
        }
        String user = json.get("user").asText().strip();
        char[] password = json.get("password").asText().toCharArray();
        try {
            Duration wait = guard.wait(user, address);
            if (!wait.isZero()) {
                long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                log.warn("login of user '" + user + "' from " + address + " refused: too many failed logins, "
                        + seconds + " s left to wait");
                return new Outcome(ApiResult.error(429, "too many failed logins for user '" + user
                        + "'; try again in " + seconds + " s", Map.of("retryAfterSeconds", seconds)), null);
            }
            Optional<Role> role;
            try {
                role = UserFile.read(config.gui().usersFile()).authenticate(user, password);
            } catch (IOException e) {
                log.warn("login of user '" + user + "' impossible: " + e.getMessage());
                return new Outcome(ApiResult.error(500, "the GUI users file cannot be read: " + e.getMessage()), null);
            }
            if (role.isEmpty()) {
                LoginGuard.Failure f = guard.failed(user, address);
                log.warn("login failed: user '" + user + "' from " + address + ": wrong user name or password ("
                        + f.inARow() + " in a row" + (f.delay().isZero() ? "" : "; next attempt allowed in "
                        + f.delay().toSeconds() + " s") + ")");
                return new Outcome(ApiResult.error(401, "wrong user name or password"), null);
            }
            guard.succeeded(user, address);
            Sessions.Session s = sessions.create(user);
            log.info("user '" + user + "' (" + role.get().word() + ") logged in from " + address);
            return new Outcome(ApiResult.ok(sessionBody(user, role.get(), s)), s);
        } finally {
            Arrays.fill(password, ' ');
        }
    }

    public Map<String, Object> sessionBody(String user, Role role, Sessions.Session s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", user);
        out.put("role", role.word());
        out.put("server", config.serverName());
        out.put("cluster", config.cluster().name());
        out.put("csrfToken", s.csrfToken());
        return out;
    }
}
