package dev.vigil.daemon.api;

import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.ResourceConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ActionOutcome;
import dev.vigil.daemon.hierarchy.HierarchyAction;
import dev.vigil.daemon.hierarchy.HierarchySupervisor;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.pattern.StatusReply;

/**
 * {@code POST /v1/hierarchies/{tag}/actions} with {@code {"action": "restore" | "remove" |
 * "restart"}}: an operator's action on the hierarchy that the resource {@code tag} belongs to (as
 * the original's perform_action acts on a whole hierarchy), carried out by its
 * {@link HierarchySupervisor} on this server. The answer waits for the action to finish: 200 with
 * the {@link ActionOutcome} (which also says when it failed), 404 for an unknown tag, 409 when the
 * action is refused (in service on another server, not runnable here, shutting down), 504 when
 * it takes longer than the hierarchy's action timeout.
 */
final class ActionRoute extends AllDirectives {
    private final ActorSystem<?> system;
    private final Map<String, ActorRef<HierarchySupervisor.Command>> supervisors;
    private final VigilConfig config;
    private final Function<HierarchyConfig, Duration> timeout;

    ActionRoute(ActorSystem<?> system, Map<String, ActorRef<HierarchySupervisor.Command>> supervisors,
                VigilConfig config, Function<HierarchyConfig, Duration> timeout) {
        this.system = system;
        this.supervisors = supervisors;
        this.config = config;
        this.timeout = timeout;
    }

    Route route(String tag) {
        return entity(Unmarshaller.entityToString(), body -> {
            JsonBody.Choice choice = JsonBody.choice(body, "action", HierarchyAction.wireNames());
            if (choice.value().isEmpty()) {
                return complete(Responses.error(StatusCodes.BAD_REQUEST, choice.error()));
            }
            HierarchyAction action = HierarchyAction.fromWireName(choice.value().get()).orElseThrow();
            Optional<HierarchyConfig> hierarchy = config.hierarchyOf(tag);
            if (hierarchy.isEmpty()) {
                return complete(Responses.error(StatusCodes.NOT_FOUND, "unknown tag '" + tag + "': no resource or "
                        + "hierarchy of that name; known tags: " + String.join(", ", knownTags())));
            }
            HierarchyConfig h = hierarchy.get();
            ActorRef<HierarchySupervisor.Command> supervisor = supervisors.get(h.tag());
            if (supervisor == null) {
                return complete(Responses.error(StatusCodes.CONFLICT, "hierarchy '" + h.tag() + "' cannot run on server "
                        + config.serverName() + ": its priorities name only " + String.join(", ", h.serversByPriority())));
            }
            Duration limit = timeout.apply(h);
            CompletionStage<StatusReply<ActionOutcome>> answer = AskPattern.ask(supervisor,
                    replyTo -> new HierarchySupervisor.PerformAction(action, tag, replyTo), limit, system.scheduler());
            // The HTTP server's own request timeout (20 s) must not answer first with a bare 503.
            return withRequestTimeout(limit.plusSeconds(5), () -> onComplete(answer, result -> {
                if (result.isFailure()) {
                    return complete(Responses.error(StatusCodes.GATEWAY_TIMEOUT, action.wireName() + " of hierarchy '"
                            + h.tag() + "' did not finish within " + limit.toSeconds() + " s; it may still be running: "
                            + "see lcdstatus and 'lk_log log'"));
                }
                StatusReply<ActionOutcome> reply = result.get();
                return reply.isSuccess()
                        ? complete(Responses.json(StatusCodes.OK, Json.write(reply.getValue())))
                        : complete(Responses.error(StatusCodes.CONFLICT, reply.getError().getMessage()));
            }));
        });
    }

    /**
     * {@code POST /v1/hierarchies/{tag}/maintenance} with {@code {"maintenance": "on" | "off"}}:
     * maintenance mode of the hierarchy, cluster-wide. 200 {@code {"message": ...}} once recorded,
     * 404 for an unknown tag, 409 when refused (this server may not decide: no quorum).
     */
    Route maintenance(String tag) {
        return entity(Unmarshaller.entityToString(), body -> {
            JsonBody.Choice choice = JsonBody.choice(body, "maintenance", java.util.List.of("on", "off"));
            if (choice.value().isEmpty()) {
                return complete(Responses.error(StatusCodes.BAD_REQUEST, choice.error()));
            }
            boolean on = choice.value().get().equals("on");
            Optional<HierarchyConfig> hierarchy = config.hierarchyOf(tag);
            if (hierarchy.isEmpty()) {
                return complete(Responses.error(StatusCodes.NOT_FOUND, "unknown tag '" + tag + "': no resource or "
                        + "hierarchy of that name; known tags: " + String.join(", ", knownTags())));
            }
            ActorRef<HierarchySupervisor.Command> supervisor = supervisors.get(hierarchy.get().tag());
            if (supervisor == null) {
                return complete(Responses.error(StatusCodes.CONFLICT, "hierarchy '" + hierarchy.get().tag()
                        + "' cannot run on server " + config.serverName() + "; set maintenance mode on one of "
                        + String.join(", ", hierarchy.get().serversByPriority())));
            }
            CompletionStage<StatusReply<String>> answer = AskPattern.ask(supervisor,
                    replyTo -> new HierarchySupervisor.SetMaintenance(on, replyTo), Duration.ofSeconds(10),
                    system.scheduler());
            return onComplete(answer, result -> {
                if (result.isFailure()) {
                    return complete(Responses.error(StatusCodes.GATEWAY_TIMEOUT, "maintenance mode of hierarchy '"
                            + hierarchy.get().tag() + "' was not recorded within 10 s: see 'lk_log log'"));
                }
                StatusReply<String> reply = result.get();
                return reply.isSuccess()
                        ? complete(Responses.json(StatusCodes.OK, Json.write(java.util.Map.of("message", reply.getValue()))))
                        : complete(Responses.error(StatusCodes.CONFLICT, reply.getError().getMessage()));
            });
        });
    }

    private java.util.List<String> knownTags() {
        return config.hierarchies().stream().flatMap(h -> h.resources().stream()).map(ResourceConfig::tag).toList();
    }
}
