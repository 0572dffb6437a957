package dev.vigil.daemon.hierarchy;

import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.ServerConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ActionOutcome;
import dev.vigil.daemon.notify.OperatorLog;
import dev.vigil.daemon.remote.RemoteExec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;

/**
 * An operator's move of a hierarchy (vigil switchover, the JMX operations): restore or
 * remove it on a server, as {@code perform_action} does there. On this server the hierarchy's
 * supervisor does it; on another server {@code perform_action -t TAG -a ACTION} runs there
 * through remote execution (lcdremexec's path). A switchover is logged and sent as traps 110 and
 * 111/112. It waits for the answer: call it on a JMX thread or the blocking dispatcher, never an actor's.
 */
public final class HierarchyMoves {
    private final ActorSystem<?> system;
    private final VigilConfig config;
    private final Map<String, ActorRef<HierarchySupervisor.Command>> supervisors;
    private final ActorRef<RemoteExec.Command> remoteExec;
    private final OperatorLog log;

    public HierarchyMoves(ActorSystem<?> system, VigilConfig config, Map<String, ActorRef<HierarchySupervisor.Command>> supervisors,
                   ActorRef<RemoteExec.Command> remoteExec, OperatorLog log) {
        this.system = system;
        this.config = config;
        this.supervisors = supervisors;
        this.remoteExec = remoteExec;
        this.log = log;
    }

    /** Brings {@code h} in service on {@code server}; returns what happened or throws with why not. */
    public String switchover(HierarchyConfig h, String server, String via) {
        List<String> known = config.cluster().servers().stream().map(ServerConfig::name).toList();
        if (!known.contains(server)) {
            throw new IllegalArgumentException("unknown server '" + server + "'; servers: " + String.join(", ", known));
        }
        log.switchoverRequested(h.tag(), server, via);
        List<String> resources = h.restoreOrder().stream().map(r -> r.tag()).toList();
        try {
            String done = act(h, server, HierarchyAction.RESTORE);
            log.switchoverEnded(h.tag(), server, resources, List.of(), done);
            return done;
        } catch (RuntimeException e) {
            log.switchoverEnded(h.tag(), server, List.of(), resources, e.getMessage());
            throw e;
        }
    }

    /** Takes {@code h} out of service on {@code server}. */
    public String outOfService(HierarchyConfig h, String server) {
        return act(h, server, HierarchyAction.REMOVE);
    }

    private String act(HierarchyConfig h, String server, HierarchyAction action) {
        return server.equals(config.serverName()) ? local(h, action) : remote(h, server, action);
    }

    private String local(HierarchyConfig h, HierarchyAction action) {
        ActorRef<HierarchySupervisor.Command> supervisor = supervisors.get(h.tag());
        if (supervisor == null) {
            throw new IllegalStateException("hierarchy '" + h.tag() + "' cannot run on server " + config.serverName()
                    + ": its priorities name only " + String.join(", ", h.serversByPriority()));
        }
        StatusReply<ActionOutcome> reply = await(AskPattern.<HierarchySupervisor.Command, StatusReply<ActionOutcome>>ask(
                supervisor, replyTo -> new HierarchySupervisor.PerformAction(action, h.tag(), replyTo),
                h.actionTimeout(), system.scheduler()).toCompletableFuture(), h.actionTimeout(), action, h);
        if (reply.isError()) {
            throw new IllegalStateException(reply.getError().getMessage());
        }
        ActionOutcome outcome = reply.getValue();
        if (!outcome.succeeded()) {
            throw new IllegalStateException(outcome.message());
        }
        return outcome.message();
    }

    private String remote(HierarchyConfig h, String server, HierarchyAction action) {
        List<String> argv = List.of("perform_action", "-t", h.tag(), "-a", action.wireName());
        Duration timeout = h.actionTimeout();
        Duration wait = timeout.plus(RemoteExec.ANSWER_MARGIN);
        RemoteExec.Outcome outcome = await(AskPattern.<RemoteExec.Command, RemoteExec.Outcome>ask(remoteExec,
                replyTo -> new RemoteExec.Execute(server, argv, timeout, true, replyTo), wait, system.scheduler())
                .toCompletableFuture(), wait, action, h);
        String what = String.join(" ", argv) + " on " + server;
        if (outcome instanceof RemoteExec.Ran ran) {
            String output = ran.result().stdout().strip();
            if (ran.result().timedOut()) {
                throw new IllegalStateException(what + " timed out after " + timeout.toSeconds() + " s");
            }
            if (ran.result().exitCode() != 0) {
                throw new IllegalStateException(what + " exited " + ran.result().exitCode() + ": " + output);
            }
            return what + ": " + output;
        }
        String why;
        if (outcome instanceof RemoteExec.NotReachable n) {
            why = n.reason();
        } else if (outcome instanceof RemoteExec.NoAnswer n) {
            why = "no answer within " + n.waited().toSeconds() + " s";
        } else if (outcome instanceof RemoteExec.Lost l) {
            why = l.target() + " stopped answering heartbeats " + l.after().toMillis() + " ms after the request";
        } else if (outcome instanceof RemoteExec.UnknownServer u) {
            why = "unknown server; servers: " + String.join(", ", u.known());
        } else {
            why = outcome.toString();
        }
        throw new IllegalStateException(what + " could not run: " + why);
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> answer, Duration limit, HierarchyAction action,
                               HierarchyConfig h) {
        try {
            return answer.get(limit.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + action.wireName() + " of " + h.tag());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(action.wireName() + " of hierarchy '" + h.tag() + "' did not finish within "
                    + limit.toSeconds() + " s; it may still be running: see lcdstatus and 'lk_log log'");
        }
    }

}
