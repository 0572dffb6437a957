package dev.vigil.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.cli.AdminReply.Answered;
import dev.vigil.cli.AdminReply.Failed;
import dev.vigil.cli.AdminReply.NotRunning;
import dev.vigil.cli.AdminReply.TokenProblem;
import dev.vigil.core.config.AdminSettings;
import dev.vigil.core.status.ClusterStatus;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The commands' side of the admin API contract: HTTP on 127.0.0.1:{@code admin.port}, each
 * request carrying {@code Authorization: Bearer <token>} read from {@code admin.token-file}.
 * It turns every transport outcome into an {@link AdminReply}, so no command handles sockets.
 */
public final class AdminClient {
    public static final String STATUS = "/v1/status";
    public static final String SHUTDOWN = "/v1/shutdown";
    public static final String REMOTE_EXEC = "/v1/remote-exec";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final AdminSettings admin;

    public AdminClient(AdminSettings admin) {
        this.admin = admin;
    }

    /** {@code 127.0.0.1:<port>}, as messages name the API. */
    public String address() {
        return "127.0.0.1:" + admin.port();
    }

    public AdminReply get(String path) {
        return get(path, REQUEST_TIMEOUT);
    }

    public AdminReply get(String path, Duration timeout) {
        return send(new Request("GET", path, null, timeout));
    }

    public AdminReply post(String path, String jsonBody) {
        return post(path, jsonBody, REQUEST_TIMEOUT);
    }

    /** A POST whose answer may take up to {@code timeout} (an action on a hierarchy, a remote command's run). */
    public AdminReply post(String path, String jsonBody, Duration timeout) {
        return send(new Request("POST", path, jsonBody, timeout));
    }

    /** GET /v1/status as JSON text, or the failure every status command reports. */
    public String statusJson() {
        return statusJson(REQUEST_TIMEOUT);
    }

    private String statusJson(Duration timeout) {
        AdminReply reply = get(STATUS, timeout);
        if (reply instanceof Answered a) {
            return a.body();
        }
        throw failure(reply);
    }

    /** GET /v1/status parsed, or the failure every status command reports. */
    public ClusterStatus status() {
        return status(REQUEST_TIMEOUT);
    }

    /** The same, for a caller that polls and would rather miss an answer than wait long for it. */
    public ClusterStatus status(Duration timeout) {
        String body = statusJson(timeout);
        try {
            ClusterStatus status = RecordJson.read(body, ClusterStatus.class);
            if (status == null || status.local() == null || status.servers() == null || status.hierarchies() == null) {
                throw CommandFailure.of(ExitCode.INTERNAL, "the admin API on " + address()
                        + " answered a status without local, servers or hierarchies: " + abbreviate(body));
            }
            return status;
        } catch (JsonProcessingException e) {
            throw CommandFailure.of(ExitCode.INTERNAL, "the admin API on " + address()
                    + " answered a status this command does not understand: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw CommandFailure.of(ExitCode.INTERNAL, "the admin API on " + address()
                    + " answered a status this command cannot read: " + e.getMessage());
        }
    }

    /**
     * The failure a status command reports for a reply that is not an answer: the original's
     * one sentence when the daemon is down (exit 9), the token problem (exit 1), or the daemon's
     * own error text (exit 9 for 503 "not available now", else exit 3).
     */
    public CommandFailure failure(AdminReply reply) {
        if (reply instanceof NotRunning) {
            return CommandFailure.bare(ExitCode.COMMUNICATION, List.of("Vigil does not appear to be running."));
        }
        if (reply instanceof TokenProblem t) {
            return CommandFailure.of(ExitCode.SYSTEM, t.message());
        }
        if (reply instanceof Failed f) {
            // 503: the daemon runs but cannot answer now (e.g. its status board is busy): try again.
            int code = f.status() == 503 ? ExitCode.COMMUNICATION : ExitCode.INTERNAL;
            return CommandFailure.of(code, "the admin API on " + address() + " answered HTTP " + f.status() + ": "
                    + f.error());
        }
        throw new IllegalArgumentException("not a failure: " + reply);
    }

    private record Request(String method, String path, String jsonBody, Duration timeout) {
    }

    private AdminReply send(Request request) {
        String token;
        try {
            token = readToken();
        } catch (IOException e) {
            // Without a running daemon a missing token file just means "not running".
            AdminReply probe = exchange(request, null);
            return probe instanceof NotRunning ? probe : new TokenProblem(e.getMessage());
        }
        AdminReply reply = exchange(request, "Bearer " + token);
        if (reply instanceof Failed f && f.status() == 401) {
            return new TokenProblem("the daemon rejected the token in " + admin.tokenFile() + " (" + f.error()
                    + "); the daemon rewrites that file at every start: is it the file of the daemon on port "
                    + admin.port() + "?");
        }
        return reply;
    }

    private String readToken() throws IOException {
        Path file = admin.tokenFile();
        String prefix = "cannot read the admin token file " + file + ": ";
        if (Files.isDirectory(file)) {
            throw new IOException(prefix + "it is a directory, not a file");
        }
        try {
            String token = Files.readString(file).trim();
            if (token.isEmpty()) {
                throw new IOException(prefix + "the file is empty");
            }
            return token;
        } catch (NoSuchFileException e) {
            throw new IOException(prefix + "no such file (the daemon writes it at start)", e);
        } catch (AccessDeniedException e) {
            throw new IOException(prefix + "permission denied (it is readable by root only; run this command as root)", e);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(prefix)) {
                throw e;
            }
            throw new IOException(prefix + IoReason.of(e), e);
        }
    }

    private AdminReply exchange(Request request, String authorization) {
        try {
            LoopbackHttp.Response response = LoopbackHttp.exchange(admin.port(), request.method(), request.path(),
                    authorization, request.jsonBody(), CONNECT_TIMEOUT, request.timeout());
            int code = response.status();
            if (code >= 200 && code < 300) {
                return new Answered(code, response.body());
            }
            return new Failed(code, errorText(response.body()), response.body() == null ? "" : response.body());
        } catch (ConnectException e) {
            return new NotRunning("nothing listens on " + address());
        } catch (SocketTimeoutException e) {
            return new NotRunning("no answer from " + address() + " in time");
        } catch (IOException e) {
            return new NotRunning("cannot talk to " + address() + ": " + e);
        }
    }

    /** The {@code error} field of an error body, or the body itself when it is not that JSON. */
    private static String errorText(String body) {
        String error = body == null ? null : RecordJson.stringProperty(body, "error");
        if (error != null) {
            return error;
        }
        String text = body == null ? "" : body.strip();
        return text.isEmpty() ? "(no message)" : abbreviate(text);
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
