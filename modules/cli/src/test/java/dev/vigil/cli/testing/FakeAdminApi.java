package dev.vigil.cli.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.cli.Json;
import dev.vigil.core.status.ClusterStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The daemon's side of the admin API contract (GET /v1/status, POST /v1/shutdown,
 * POST /v1/hierarchies/{tag}/actions, POST /v1/remote-exec, bearer token, JSON errors), served
 * on 127.0.0.1 by the JDK's HTTP server. The real daemon is written
 * concurrently against the same contract; this lets every command be tested against real HTTP
 * now, including the daemon's error answers.
 */
public final class FakeAdminApi implements AutoCloseable {
    private final HttpServer server;
    private final String token;
    private final List<String> shutdownModes = new CopyOnWriteArrayList<>();
    private volatile int statusCode = 200;
    private volatile String statusBody;
    private volatile int shutdownCode = 202;
    private volatile String shutdownError;
    private volatile Runnable onShutdown = () -> { };
    private final List<String> actions = new CopyOnWriteArrayList<>();
    private volatile int actionCode = 200;
    private volatile String actionBody = "{}";
    private final List<String> remoteExecRequests = new CopyOnWriteArrayList<>();
    private volatile int remoteExecCode = 200;
    private volatile String remoteExecBody = "{}";

    private FakeAdminApi(HttpServer server, String token) {
        this.server = server;
        this.token = token;
    }

    /** Listens on 127.0.0.1:{@code port} (0: any free port), answering {@code status} from the first request. */
    public static FakeAdminApi start(int port, String token, ClusterStatus status) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            FakeAdminApi api = new FakeAdminApi(server, token);
            api.serve(status);
            server.createContext("/v1/status", api::status);
            server.createContext("/v1/shutdown", api::shutdown);
            server.createContext("/v1/hierarchies/", api::action);
            server.createContext("/v1/remote-exec", api::remoteExec);
            server.start();
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public FakeAdminApi serve(ClusterStatus status) {
        try {
            return answerStatus(200, Json.mapper().writeValueAsString(status));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public FakeAdminApi answerStatus(int code, String body) {
        this.statusCode = code;
        this.statusBody = body;
        return this;
    }

    public FakeAdminApi refuseShutdown(int code, String error) {
        this.shutdownCode = code;
        this.shutdownError = error;
        return this;
    }

    /** Runs after a shutdown request has been answered 202. */
    public FakeAdminApi onShutdown(Runnable action) {
        this.onShutdown = action;
        return this;
    }

    /** What every action request will be answered: its HTTP status and JSON body. */
    public FakeAdminApi answerAction(int code, String body) {
        this.actionCode = code;
        this.actionBody = body;
        return this;
    }

    /** The action requests received, as "RAW-PATH BODY". */
    public List<String> actions() {
        return actions;
    }

    public List<String> shutdownModes() {
        return shutdownModes;
    }

    /** What POST /v1/remote-exec answers from now on. */
    public FakeAdminApi answerRemoteExec(int code, String body) {
        this.remoteExecCode = code;
        this.remoteExecBody = body;
        return this;
    }

    /** The bodies of the remote exec requests received, as JSON text. */
    public List<String> remoteExecRequests() {
        return remoteExecRequests;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private boolean authorized(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (("Bearer " + token).equals(auth)) {
            return true;
        }
        reply(ex, 401, "{\"error\": \"missing or wrong admin token\"}");
        return false;
    }

    private void status(HttpExchange ex) throws IOException {
        if (authorized(ex)) {
            reply(ex, statusCode, statusBody);
        }
    }

    private void shutdown(HttpExchange ex) throws IOException {
        if (!authorized(ex)) {
            return;
        }
        if (!"POST".equals(ex.getRequestMethod())) {
            reply(ex, 405, "{\"error\": \"use POST\"}");
            return;
        }
        JsonNode body = Json.mapper().readTree(ex.getRequestBody().readAllBytes());
        if (shutdownError != null) {
            reply(ex, shutdownCode, Json.mapper().createObjectNode().put("error", shutdownError).toString());
            return;
        }
        String mode = body.path("mode").asText();
        shutdownModes.add(mode);
        reply(ex, 202, "{\"accepted\": true, \"mode\": \"" + mode + "\"}");
        onShutdown.run();
    }

    private void action(HttpExchange ex) throws IOException {
        if (authorized(ex)) {
            actions.add(ex.getRequestURI().getRawPath() + " " + new String(ex.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            reply(ex, actionCode, actionBody);
        }
    }

    private void remoteExec(HttpExchange ex) throws IOException {
        if (!authorized(ex)) {
            return;
        }
        remoteExecRequests.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        reply(ex, remoteExecCode, remoteExecBody);
    }

    private static void reply(HttpExchange ex, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        try (var out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
