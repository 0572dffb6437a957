package dev.vigil.daemon.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.daemon.ShutdownMode;
import dev.vigil.daemon.StopReason;
import dev.vigil.daemon.cluster.StatusBoard;
import dev.vigil.daemon.notify.OperatorLog;
import dev.vigil.daemon.remote.RemoteExec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The local admin API the commands talk to: HTTP on 127.0.0.1 only, every request authenticated
 * with the token of {@link AdminToken}. {@code GET /v1/status} returns the {@link ClusterStatus}
 * of the {@link StatusBoard}; {@code POST /v1/shutdown} accepts a stop request and then stops the
 * daemon through CoordinatedShutdown; {@code POST /v1/remote-exec} runs a command on a server of
 * the cluster ({@link RemoteExecRoute}). Every answer, errors included, is JSON (see docs/admin-api.md).
 */
public final class AdminApi extends AllDirectives {
    /** How long {@code GET /v1/status} waits for the status board before answering 503. */
    public static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);
    /** Delay between answering a shutdown request and starting the shutdown, so the answer leaves first. */
    private static final Duration SHUTDOWN_DELAY = Duration.ofMillis(200);
    private static final String ROUTES = "GET /v1/status, POST /v1/shutdown, POST /v1/remote-exec";

    private final ActorSystem<?> system;
    private final ActorRef<StatusBoard.Command> board;
    private final String token;
    private final Path tokenFile;
    private final Duration statusTimeout;
    private final OperatorLog log;
    private final RemoteExecRoute remoteExec;
    private final ObjectMapper mapper = Json.mapper();

    public AdminApi(ActorSystem<?> system, ActorRef<StatusBoard.Command> board, ActorRef<RemoteExec.Command> remoteExec,
                    String token, Path tokenFile, Duration statusTimeout, OperatorLog log) {
        this.system = system;
        this.board = board;
        this.remoteExec = new RemoteExecRoute(system, remoteExec);
        this.token = token;
        this.tokenFile = tokenFile;
        this.statusTimeout = statusTimeout;
        this.log = log;
    }

    /** Binds the API on 127.0.0.1:{@code port}; the binding is unbound and drained during CoordinatedShutdown. */
    public CompletionStage<ServerBinding> bind(int port) {
        return Http.get(system).newServerAt("127.0.0.1", port).bind(route())
                .thenApply(binding -> binding.addToCoordinatedShutdown(Duration.ofSeconds(3), system));
    }

    public Route route() {
        Route routes = concat(
                path(PathMatchers.segment("v1").slash("status"),
                        () -> concat(get(this::status), methodNotAllowed(HttpMethods.GET))),
                path(PathMatchers.segment("v1").slash("shutdown"),
                        () -> concat(post(this::shutdown), methodNotAllowed(HttpMethods.POST))),
                path(PathMatchers.segment("v1").slash("remote-exec"),
                        () -> concat(post(remoteExec::route), methodNotAllowed(HttpMethods.POST))),
                extractRequest(req -> error(StatusCodes.NOT_FOUND, "no such route: " + req.method().value() + " "
                        + req.getUri().path() + " (routes: " + ROUTES + ")")));
        ExceptionHandler bug = ExceptionHandler.newBuilder()
                .match(Exception.class, e -> {
                    system.log().error("admin API request failed", e);
                    return error(StatusCodes.INTERNAL_SERVER_ERROR, "internal error: " + e);
                })
                .build();
        return handleExceptions(bug, () -> optionalHeaderValueByName("Authorization", header ->
                AdminToken.matches(token, header) ? routes : unauthorized()));
    }

    private Route unauthorized() {
        List<HttpHeader> challenge = List.of(RawHeader.create("WWW-Authenticate", "Bearer"));
        return complete(HttpResponse.create().withStatus(StatusCodes.UNAUTHORIZED).addHeaders(challenge)
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.error(
                        "missing or wrong admin token: send the header \"Authorization: Bearer <token>\" with the "
                                + "contents of " + tokenFile + " (readable by root only)"))));
    }

    private Route status() {
        CompletionStage<ClusterStatus> answer = AskPattern.ask(board, StatusBoard.GetStatus::new, statusTimeout,
                system.scheduler());
        return onComplete(answer, result -> result.isSuccess()
                ? json(StatusCodes.OK, Json.write(result.get()))
                : error(StatusCodes.SERVICE_UNAVAILABLE, "status not available: the daemon's status board did not "
                        + "answer within " + statusTimeout.toMillis() + " ms; try again"));
    }

    private Route shutdown() {
        return entity(Unmarshaller.entityToString(), body -> {
            String expected = "expected a JSON object {\"mode\": \"" + String.join("\" | \"", ShutdownMode.wireNames())
                    + "\"}";
            JsonNode json;
            try {
                json = body.isBlank() ? null : mapper.readTree(body);
            } catch (JsonProcessingException e) {
                return error(StatusCodes.BAD_REQUEST, "request body is not JSON (" + e.getOriginalMessage() + "); "
                        + expected);
            }
            if (json == null || !json.isObject()) {
                return error(StatusCodes.BAD_REQUEST, "request body: " + expected);
            }
            for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("mode")) {
                    return error(StatusCodes.BAD_REQUEST, "unknown field \"" + name + "\"; " + expected);
                }
            }
            JsonNode mode = json.get("mode");
            if (mode == null) {
                return error(StatusCodes.BAD_REQUEST, "missing field \"mode\"; " + expected);
            }
            return ShutdownMode.fromWireName(mode.isTextual() ? mode.asText() : "")
                    .map(this::acceptShutdown)
                    .orElseGet(() -> error(StatusCodes.BAD_REQUEST, "invalid value " + mode + " for field \"mode\": "
                            + "must be one of " + ShutdownMode.wireNames().stream().map(m -> "\"" + m + "\"")
                            .collect(Collectors.joining(", "))));
        });
    }

    private Route acceptShutdown(ShutdownMode mode) {
        log.shutdownRequested("admin API, mode \"" + mode.wireName() + "\"");
        system.scheduler().scheduleOnce(SHUTDOWN_DELAY,
                () -> CoordinatedShutdown.get(system).run(new StopReason.AdminRequest(mode)),
                system.executionContext());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", true);
        body.put("mode", mode.wireName());
        return json(StatusCodes.ACCEPTED, Json.write(body));
    }

    private Route methodNotAllowed(HttpMethod allowed) {
        return extractRequest(req -> complete(HttpResponse.create().withStatus(StatusCodes.METHOD_NOT_ALLOWED)
                .addHeader(Allow.create(allowed))
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.error("method "
                        + req.method().value() + " not allowed on " + req.getUri().path() + "; use "
                        + allowed.value())))));
    }

    private Route json(StatusCode status, String body) {
        return complete(Responses.json(status, body));
    }

    private Route error(StatusCode status, String message) {
        return complete(Responses.error(status, message));
    }
}
