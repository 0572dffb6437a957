package dev.vigil.gui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.config.AdminSettings;
import dev.vigil.core.status.ClusterStatus;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The GUI server's only way to the cluster: the local daemon's admin API on 127.0.0.1, with the
 * token read from {@code admin.token-file} at every request (the daemon writes a new one at each
 * start). Every outcome is a {@link Reply}: an answer (any HTTP status, with its JSON), or the
 * reason there was none, in words for the operator.
 */
public final class DaemonLink {
    private static final Duration CONNECT = Duration.ofSeconds(2);
    private final AdminSettings admin;
    private final String server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT).build();

    /** An answer of the daemon ({@code status} > 0), or none ({@code status} 0) with the reason in {@code error}. */
    public record Reply(int status, JsonNode body, String error) {
        public boolean ok() {
            return status == 200;
        }

        /** The daemon's {@code error} text of a non-200 answer, or the reason there was no answer. */
        public String message() {
            if (body != null && body.hasNonNull("error")) {
                return body.get("error").asText();
            }
            return error;
        }
    }

    public DaemonLink(AdminSettings admin, String server) {
        this.admin = admin;
        this.server = server;
    }

    public Reply status() {
        return send("GET", "/v1/status", null, Duration.ofSeconds(5));
    }

    /** The status record, or null with the reason in {@code reply}. */
    public static ClusterStatus parse(Reply reply) {
        try {
            return Json.mapper().treeToValue(reply.body(), ClusterStatus.class);
        } catch (IOException e) {
            return null;
        }
    }

    /** perform_action on this server: {@code restore}, {@code remove} or {@code restart}. */
    public Reply action(String tag, String action, Duration timeout) {
        return send("POST", "/v1/hierarchies/" + PathSegment.encode(tag) + "/actions",
                Json.write(Map.of("action", action)), timeout);
    }

    /** Maintenance mode on or off for the hierarchy of {@code tag}, cluster-wide, decided by this server's placement. */
    public Reply maintenance(String tag, boolean on) {
        return send("POST", "/v1/hierarchies/" + PathSegment.encode(tag) + "/maintenance",
                Json.write(Map.of("maintenance", on ? "on" : "off")), Duration.ofSeconds(15));
    }

    /** Runs {@code command} on {@code target} through the cluster (lcdremexec). */
    public Reply remoteExec(String target, List<String> command, Duration timeout) {
        return send("POST", "/v1/remote-exec", Json.write(Map.of("server", target, "command", command,
                "timeoutSeconds", timeout.toSeconds(), "mergeStderr", true)), timeout.plusSeconds(15));
    }

    /** Changes this server's shutdown strategy, persisted by the daemon. */
    public Reply shutdownStrategy(String strategy) {
        return send("POST", "/v1/shutdown-strategy", Json.write(Map.of("strategy", strategy)), Duration.ofSeconds(10));
    }

    private Reply send(String method, String path, String body, Duration timeout) {
        String token;
        try {
            token = Files.readString(admin.tokenFile(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return new Reply(0, null, notRunning() + " (its admin token " + admin.tokenFile() + " cannot be read: "
                    + e.getClass().getSimpleName() + ")");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
                .timeout(timeout).header("Authorization", "Bearer " + token);
        b = body == null ? b.GET() : b.method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isBlank() ? null : Json.mapper().readTree(r.body());
            return new Reply(r.statusCode(), json, json == null ? "HTTP " + r.statusCode() : "");
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return new Reply(0, null, notRunning());
        } catch (HttpTimeoutException e) {
            return new Reply(0, null, "the daemon on \"" + server + "\" did not answer " + method + " " + path
                    + " within " + timeout.toSeconds() + " s; it may still be working: watch the status");
        } catch (IOException e) {
            return new Reply(0, null, notRunning() + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(0, null, "interrupted");
        }
    }

    private String notRunning() {
        return "Vigil does not appear to be running on server \"" + server + "\" (no admin API on 127.0.0.1:"
                + admin.port() + ")";
    }
}
