package dev.vigil.daemon.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.daemon.remote.RemoteCommand;
import dev.vigil.daemon.remote.RemoteExec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code POST /v1/remote-exec} of the admin API, what {@code lcdremexec} calls: checks the request,
 * hands it to this server's {@link RemoteExec} and turns the outcome into HTTP — 200 with the
 * command's exit code and output, 404 for an unknown server, 503 when the server cannot be
 * reached over the cluster connection, 504 when the command ran out of time (with its output so
 * far) or no answer came. The HTTP request may stay open as long as the command may run.
 */
final class RemoteExecRoute extends AllDirectives {
    /** Without {@code timeoutSeconds}: the original's REMOTETIMEOUT default. */
    static final int DEFAULT_TIMEOUT_SECONDS = 900;
    static final int MAX_TIMEOUT_SECONDS = 3600;
    private static final Set<String> FIELDS = Set.of("server", "command", "timeoutSeconds", "mergeStderr");
    private static final String EXPECTED = "expected a JSON object {\"server\": \"n2\", \"command\": [\"program\","
            + " \"argument\", ...], \"timeoutSeconds\": 1 to " + MAX_TIMEOUT_SECONDS + " (default "
            + DEFAULT_TIMEOUT_SECONDS + "), \"mergeStderr\": true | false (default false)}";

    private final ActorSystem<?> system;
    private final ActorRef<RemoteExec.Command> remoteExec;
    private final ObjectMapper mapper = Json.mapper();

    RemoteExecRoute(ActorSystem<?> system, ActorRef<RemoteExec.Command> remoteExec) {
        this.system = system;
        this.remoteExec = remoteExec;
    }

    /** A checked request. */
    private record Request(String server, List<String> argv, Duration timeout, boolean mergeStderr) {
    }

    /** Thrown while reading a request body: the 400 message. */
    private static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    Route route() {
        return entity(Unmarshaller.entityToString(), body -> {
            Request request;
            try {
                request = parse(body);
            } catch (BadRequest e) {
                return complete(Responses.error(StatusCodes.BAD_REQUEST, e.getMessage()));
            }
            Duration wait = request.timeout().plus(RemoteExec.ANSWER_MARGIN).plusSeconds(5);
            CompletionStage<RemoteExec.Outcome> outcome = AskPattern.ask(remoteExec,
                    replyTo -> new RemoteExec.Execute(request.server(), request.argv(), request.timeout(),
                            request.mergeStderr(), replyTo), wait, system.scheduler());
            return withRequestTimeout(wait.plusSeconds(5), () -> onComplete(outcome, result -> complete(
                    result.isSuccess() ? answer(request, result.get())
                            : Responses.error(StatusCodes.SERVICE_UNAVAILABLE, "remote exec is not available: this"
                            + " daemon's remote exec service did not answer within " + wait.toSeconds() + " s"))));
        });
    }

    private HttpResponse answer(Request request, RemoteExec.Outcome outcome) {
        if (outcome instanceof RemoteExec.Ran ran) {
            RemoteExec.RunResult r = ran.result();
            Map<String, Object> body = new LinkedHashMap<>();
            if (r.timedOut()) {
                body.put("error", "'" + RemoteCommand.display(request.argv()) + "' did not finish within "
                        + request.timeout().toSeconds() + " s on server \"" + ran.target() + "\"; it was killed"
                        + " (its output so far is in stdout and stderr)");
            }
            body.put("server", ran.target());
            body.put("exitCode", r.timedOut() ? null : r.exitCode());
            body.put("stdout", r.stdout());
            body.put("stderr", r.stderr());
            body.put("durationMillis", r.elapsedMillis());
            return Responses.json(r.timedOut() ? StatusCodes.GATEWAY_TIMEOUT : StatusCodes.OK, Json.write(body));
        }
        if (outcome instanceof RemoteExec.UnknownServer u) {
            return Responses.error(StatusCodes.NOT_FOUND, "unknown server '" + u.target() + "'; known servers: "
                    + String.join(", ", u.known()));
        }
        if (outcome instanceof RemoteExec.NotReachable n) {
            return Responses.error(StatusCodes.SERVICE_UNAVAILABLE, "server \"" + n.target()
                    + "\" cannot be reached for remote exec: " + n.reason());
        }
        if (outcome instanceof RemoteExec.Lost l) {
            return Responses.error(StatusCodes.SERVICE_UNAVAILABLE, "server \"" + l.target() + "\" stopped answering"
                    + " heartbeats on the cluster connection " + l.after().toMillis() + " ms after the request, before"
                    + " it answered: the command may or may not have run to its end there (see its 'lk_log remote exec')");
        }
        RemoteExec.NoAnswer none = (RemoteExec.NoAnswer) outcome;
        return Responses.error(StatusCodes.GATEWAY_TIMEOUT, "no answer from server \"" + none.target() + "\" within "
                + none.waited().toSeconds() + " s; the command may still have run there (see its 'lk_log remote exec')");
    }

    private Request parse(String body) throws BadRequest {
        JsonNode json;
        try {
            json = body.isBlank() ? null : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest("request body is not JSON (" + e.getOriginalMessage() + "); " + EXPECTED);
        }
        if (json == null || !json.isObject()) {
            throw new BadRequest("request body: " + EXPECTED);
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new BadRequest("unknown field \"" + name + "\"; " + EXPECTED);
            }
        }
        JsonNode server = json.get("server");
        if (server == null || !server.isTextual() || server.asText().isBlank()) {
            throw new BadRequest((server == null ? "missing field \"server\"" : "invalid value " + server
                    + " for field \"server\": must be a server name") + "; " + EXPECTED);
        }
        return new Request(server.asText(), argv(json.get("command")), timeout(json.get("timeoutSeconds")),
                merge(json.get("mergeStderr")));
    }

    private static List<String> argv(JsonNode command) throws BadRequest {
        if (command == null) {
            throw new BadRequest("missing field \"command\"; " + EXPECTED);
        }
        if (!command.isArray() || command.isEmpty()) {
            throw new BadRequest("invalid value " + command + " for field \"command\": must be a non-empty array of"
                    + " strings, the program first");
        }
        List<String> argv = new ArrayList<>();
        for (JsonNode word : command) {
            if (!word.isTextual() || word.asText().indexOf('\0') >= 0) {
                throw new BadRequest("invalid word " + word + " in field \"command\": every word must be a string"
                        + " without NUL characters");
            }
            argv.add(word.asText());
        }
        if (argv.get(0).isBlank()) {
            throw new BadRequest("invalid value " + command + " for field \"command\": the program name is empty");
        }
        return argv;
    }

    private static Duration timeout(JsonNode seconds) throws BadRequest {
        if (seconds == null) {
            return Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
        }
        if (!seconds.canConvertToInt() || !seconds.isIntegralNumber() || seconds.asInt() < 1
                || seconds.asInt() > MAX_TIMEOUT_SECONDS) {
            throw new BadRequest("invalid value " + seconds + " for field \"timeoutSeconds\": must be a whole number"
                    + " from 1 to " + MAX_TIMEOUT_SECONDS);
        }
        return Duration.ofSeconds(seconds.asInt());
    }

    private static boolean merge(JsonNode merge) throws BadRequest {
        if (merge == null) {
            return false;
        }
        if (!merge.isBoolean()) {
            throw new BadRequest("invalid value " + merge + " for field \"mergeStderr\": must be true or false");
        }
        return merge.asBoolean();
    }
}
