package dev.vigil.daemon.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.ServerConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.daemon.hierarchy.HierarchyMoves;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code POST /v1/hierarchies/{tag}/switchover} with {@code {"to": "SERVER"}} ({@code vigil
 * switchover TAG --to SERVER}): brings the hierarchy TAG belongs to in service on SERVER, on this
 * server through its supervisor, on another through {@code perform_action} run there by remote
 * execution ({@link HierarchyMoves}, the same as the JMX operation; traps 110 to 112). 200 with
 * {@code {hierarchy, to, message}}, 404 for an unknown tag or server, 409 when it is refused or
 * fails (the message says why).
 */
final class SwitchoverRoute extends AllDirectives {
    private final ActorSystem<?> system;
    private final VigilConfig config;
    private final HierarchyMoves moves;

    SwitchoverRoute(ActorSystem<?> system, VigilConfig config, HierarchyMoves moves) {
        this.system = system;
        this.config = config;
        this.moves = moves;
    }

    Route route(String tag) {
        return entity(Unmarshaller.entityToString(), body -> {
            Optional<String> to = target(body);
            if (to.isEmpty()) {
                return complete(Responses.error(StatusCodes.BAD_REQUEST,
                        "expected a JSON object with \"to\": the name of a server, e.g. {\"to\": \"n2\"}"));
            }
            Optional<HierarchyConfig> h = config.hierarchyOf(tag);
            List<String> servers = config.cluster().servers().stream().map(ServerConfig::name).toList();
            if (h.isEmpty()) {
                return complete(Responses.error(StatusCodes.NOT_FOUND, "unknown tag '" + tag + "': no resource or "
                        + "hierarchy of that name"));
            }
            if (!servers.contains(to.get())) {
                return complete(Responses.error(StatusCodes.NOT_FOUND, "unknown server '" + to.get() + "'; servers: "
                        + String.join(", ", servers)));
            }
            CompletableFuture<String> done = CompletableFuture.supplyAsync(
                    () -> moves.switchover(h.get(), to.get(), "vigil switchover"),
                    system.dispatchers().lookup(DispatcherSelector.blocking()));
            return onComplete(done, result -> {
                if (result.isFailure()) {
                    Throwable t = result.failed().get();
                    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
                    return complete(Responses.error(StatusCodes.CONFLICT, "switchover of hierarchy '" + h.get().tag()
                            + "' to " + to.get() + " failed: " + cause.getMessage()));
                }
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("hierarchy", h.get().tag());
                answer.put("to", to.get());
                answer.put("message", result.get());
                return complete(Responses.json(StatusCodes.OK, Json.write(answer)));
            });
        });
    }

    private static Optional<String> target(String body) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            JsonNode to = node == null ? null : node.get("to");
            return to != null && to.isTextual() && !to.asText().isBlank() ? Optional.of(to.asText()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
