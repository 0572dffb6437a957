package dev.vigil.daemon.hierarchy;

import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.ResourceConfig;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.daemon.cluster.StatusBoard;
import dev.vigil.daemon.notify.OperatorLog;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One resource hierarchy on this server: it starts one {@link ResourceActor} per resource,
 * dependencies first, restarts a resource actor that crashes (a bug, not a resource failure:
 * resource failures are values the actor reports), and is the one place resource state changes
 * pass through on their way to the {@link StatusBoard}. Local recovery and the escalation to a
 * failover will be decided here, where every state change of the hierarchy already arrives.
 */
public final class HierarchySupervisor {

    public sealed interface Command {
    }

    /** From a resource actor: its resource is now in {@code status}. */
    public record ResourceChanged(String tag, ResourceStatus status) implements Command {
    }

    private HierarchySupervisor() {
    }

    public static Behavior<Command> create(HierarchyConfig hierarchy, ActorRef<StatusBoard.Command> board,
                                           OperatorLog log) {
        return Behaviors.setup(ctx -> {
            for (ResourceConfig resource : hierarchy.restoreOrder()) {
                ctx.spawn(Behaviors.supervise(ResourceActor.create(resource, ctx.getSelf(), log))
                        .onFailure(SupervisorStrategy.restart()), actorName("resource-", resource.tag()));
            }
            return Behaviors.receive(Command.class)
                    .onMessage(ResourceChanged.class, msg -> {
                        board.tell(new StatusBoard.ResourceChanged(msg.tag(), msg.status()));
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    /** Tags may hold characters actor names may not ({@code fs-/share}); URL-encoding keeps them readable. */
    public static String actorName(String prefix, String tag) {
        return prefix + URLEncoder.encode(tag, StandardCharsets.UTF_8);
    }
}
