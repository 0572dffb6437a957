package dev.vigil.daemon.hierarchy;

import dev.vigil.core.ResourceState;
import dev.vigil.core.config.ResourceConfig;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.daemon.notify.OperatorLog;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One protected resource on this server, written as a state machine: one behavior per resource
 * state, entered through a method that logs the transition in the LCD log and reports it to the
 * hierarchy supervisor, so the code reads like the state diagram.
 *
 * <p>A resource starts in ILLSTATE (nothing known yet) and is taken to OSU at once: this daemon
 * does not bring resources in service yet, so OSU is the only state it can be in. The in-service
 * and failed states join as new behaviors when the recovery kits are wired in.
 */
public final class ResourceActor {

    public sealed interface Command {
    }

    /** The resource's current state on this server and why. */
    public record GetStatus(ActorRef<ResourceStatus> replyTo) implements Command {
    }

    private final ResourceConfig resource;
    private final ActorRef<HierarchySupervisor.Command> supervisor;
    private final OperatorLog log;

    public static Behavior<Command> create(ResourceConfig resource, ActorRef<HierarchySupervisor.Command> supervisor,
                                           OperatorLog log) {
        return Behaviors.setup(ctx -> new ResourceActor(resource, supervisor, log)
                .enterOutOfServiceUnimpaired(ResourceState.ILLSTATE, "out of service"));
    }

    private ResourceActor(ResourceConfig resource, ActorRef<HierarchySupervisor.Command> supervisor, OperatorLog log) {
        this.resource = resource;
        this.supervisor = supervisor;
        this.log = log;
    }

    // ---- OSU: out of service, able to be brought in service here ----

    private Behavior<Command> enterOutOfServiceUnimpaired(ResourceState from, String reason) {
        ResourceStatus status = transition(from, ResourceState.OSU, reason);
        return Behaviors.receive(Command.class)
                .onMessage(GetStatus.class, msg -> {
                    msg.replyTo().tell(status);
                    return Behaviors.same();
                })
                .build();
    }

    // ---- every transition ----

    private ResourceStatus transition(ResourceState from, ResourceState to, String reason) {
        ResourceStatus status = new ResourceStatus(to, reason);
        log.resourceStateChanged(resource.tag(), from, to, reason);
        supervisor.tell(new HierarchySupervisor.ResourceChanged(resource.tag(), status));
        return status;
    }
}
