package dev.vigil.daemon.remote;

import dev.vigil.core.config.ServerConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.daemon.CborSerializable;
import dev.vigil.daemon.cluster.CommPathMonitor;
import dev.vigil.daemon.notify.OperatorLog;
import dev.vigil.kits.process.CommandResult;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Remote execution ({@code lcdremexec}), both sides. As requester it takes an {@link Execute}
 * from the admin API, finds the target server's RemoteExec through the Receptionist and sends it
 * a {@link Run} over the cluster connection (the only path that carries messages); as target it
 * runs the command off the actor threads ({@link RemoteCommand} on Pekko's blocking dispatcher)
 * and answers a {@link RunResult}. When this server is the target it runs the command itself.
 * Every request is logged in the remote exec log on both sides: requester, target, command,
 * outcome, duration. A request whose target stops answering heartbeats on the cluster connection
 * while its command runs is answered {@link Lost} at once, not after its whole timeout.
 */
public final class RemoteExec extends AbstractBehavior<RemoteExec.Command> {
    /** Under this key every server's RemoteExec registers with the cluster Receptionist. */
    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "vigil-remote-exec");
    /** How much longer than the command's timeout the requester waits for the answer. */
    public static final Duration ANSWER_MARGIN = Duration.ofSeconds(10);

    public sealed interface Command {
    }

    /**
     * From the comm path monitor: the peers whose heartbeats on the cluster connection are not
     * ALIVE. A request to one of them is refused at once, and one already sent to it is answered
     * {@link Lost}, before Pekko's slower failure detector finds the server unreachable (else each
     * would wait for its whole timeout).
     */
    public record SilentPeers(Set<String> peers) implements Command {
    }

    /** From the admin API: run {@code argv} on {@code target} within {@code timeout}. */
    public record Execute(String target, List<String> argv, Duration timeout, boolean mergeStderr,
                          ActorRef<Outcome> replyTo) implements Command {
    }

    /** From another server's RemoteExec: run {@code argv} here for {@code requester}. */
    public record Run(String requester, List<String> argv, long timeoutMillis, boolean mergeStderr,
                      ActorRef<RunResult> replyTo) implements Command, CborSerializable {
    }

    /** The target's answer: how the command ended, with its captured output. */
    public record RunResult(int exitCode, String stdout, String stderr, boolean timedOut, long elapsedMillis)
            implements CborSerializable {

        static RunResult of(CommandResult r) {
            return new RunResult(r.exitCode(), r.stdout(), r.stderr(), r.timedOut(), r.elapsed().toMillis());
        }
    }

    /** What an {@link Execute} came to: the command ran (maybe out of time), or it could not be sent. */
    public sealed interface Outcome {
    }

    public record Ran(String target, RunResult result) implements Outcome {
    }

    /** The target is DEAD or unreachable over the cluster connection, or did not answer in time. */
    public record NotReachable(String target, String reason) implements Outcome {
    }

    public record NoAnswer(String target, Duration waited) implements Outcome {
    }

    /**
     * The request was sent, then {@code target} stopped answering heartbeats on the cluster
     * connection ({@code after} the request) before it answered: the command may or may not have
     * run to its end there.
     */
    public record Lost(String target, Duration after) implements Outcome {
    }

    /** {@code target} is not a server of this cluster. */
    public record UnknownServer(String target, List<String> known) implements Outcome {
    }

    private record ListingUpdated(Receptionist.Listing listing) implements Command {
    }

    /** A command finished here, for {@code requester}; the answer goes to {@code replyTo}. */
    private record Finished(String requester, List<String> argv, RunResult result, ActorRef<RunResult> replyTo)
            implements Command {
    }

    /** The target answered (or not) a request of this server. */
    private record Answered(Execute request, RunResult result, Throwable failure) implements Command {
    }

    private final VigilConfig config;
    private final String self;
    private final RemoteCommand command;
    private final OperatorLog log;
    private final Executor blocking;
    private final Cluster cluster;
    private Set<ActorRef<Command>> instances = Set.of();
    private Set<String> silent = Set.of();
    /** Requests sent to another server and not answered yet, and when each was sent (System.nanoTime). */
    private final Map<Execute, Long> inFlight = new IdentityHashMap<>();

    public static Behavior<Command> create(VigilConfig config, RemoteCommand command, OperatorLog log) {
        return Behaviors.setup(ctx -> new RemoteExec(ctx, config, command, log));
    }

    private RemoteExec(ActorContext<Command> ctx, VigilConfig config, RemoteCommand command, OperatorLog log) {
        super(ctx);
        this.config = config;
        this.self = config.serverName();
        this.command = command;
        this.log = log;
        this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        this.cluster = Cluster.get(ctx.getSystem());
        ActorRef<Receptionist.Command> receptionist = ctx.getSystem().receptionist();
        receptionist.tell(Receptionist.register(KEY, ctx.getSelf()));
        receptionist.tell(Receptionist.subscribe(KEY, ctx.messageAdapter(Receptionist.Listing.class, ListingUpdated::new)));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Execute.class, this::onExecute)
                .onMessage(Run.class, this::onRun)
                .onMessage(Finished.class, this::onFinished)
                .onMessage(Answered.class, this::onAnswered)
                .onMessage(SilentPeers.class, this::onSilentPeers)
                .onMessage(ListingUpdated.class, msg -> {
                    instances = msg.listing().getServiceInstances(KEY);
                    return this;
                })
                .build();
    }

    private Behavior<Command> onExecute(Execute msg) {
        String cmd = RemoteCommand.display(msg.argv());
        Optional<ServerConfig> target = config.cluster().server(msg.target());
        if (target.isEmpty()) {
            msg.replyTo().tell(new UnknownServer(msg.target(),
                    config.cluster().servers().stream().map(ServerConfig::name).toList()));
            return this;
        }
        if (msg.target().equals(self)) {
            log.remoteExecStarted(self, self, cmd);
            ActorRef<RunResult> back = getContext().messageAdapter(RunResult.class,
                    r -> new Answered(msg, r, null));
            runHere(self, msg.argv(), msg.timeout(), msg.mergeStderr(), back);
            return this;
        }
        Optional<String> unreachable = unreachable(target.get());
        Optional<ActorRef<Command>> ref = instances.stream()
                .filter(r -> CommPathMonitor.at(r.path().address(), target.get())).findFirst();
        if (unreachable.isEmpty() && ref.isEmpty()) {
            unreachable = Optional.of("its remote exec service is not registered yet; try again in a few seconds");
        }
        if (unreachable.isPresent()) {
            log.remoteExecFailed(self, msg.target(), cmd, "not sent: " + unreachable.get());
            msg.replyTo().tell(new NotReachable(msg.target(), unreachable.get()));
            return this;
        }
        log.remoteExecSent(self, msg.target(), cmd);
        inFlight.put(msg, System.nanoTime());
        getContext().ask(RunResult.class, ref.get(), msg.timeout().plus(ANSWER_MARGIN),
                replyTo -> new Run(self, msg.argv(), msg.timeout().toMillis(), msg.mergeStderr(), replyTo),
                (result, failure) -> new Answered(msg, result, failure));
        return this;
    }

    private Behavior<Command> onAnswered(Answered msg) {
        Execute request = msg.request();
        if (!request.target().equals(self) && inFlight.remove(request) == null) {
            return this; // answered Lost already, when its target went silent
        }
        String cmd = RemoteCommand.display(request.argv());
        if (msg.failure() != null) {
            Duration waited = request.timeout().plus(ANSWER_MARGIN);
            log.remoteExecFailed(self, request.target(), cmd, "no answer within " + waited.toSeconds() + " s");
            request.replyTo().tell(new NoAnswer(request.target(), waited));
            return this;
        }
        if (!request.target().equals(self)) {
            log.remoteExecEnded(self, request.target(), cmd, msg.result().exitCode(), msg.result().timedOut(),
                    msg.result().elapsedMillis());
        }
        request.replyTo().tell(new Ran(request.target(), msg.result()));
        return this;
    }

    private Behavior<Command> onSilentPeers(SilentPeers msg) {
        silent = msg.peers();
        long now = System.nanoTime();
        inFlight.entrySet().removeIf(e -> {
            Execute request = e.getKey();
            if (!silent.contains(request.target())) {
                return false;
            }
            Duration after = Duration.ofNanos(now - e.getValue());
            log.remoteExecFailed(self, request.target(), RemoteCommand.display(request.argv()), "no answer: "
                    + request.target() + " stopped answering heartbeats on the cluster connection "
                    + after.toMillis() + " ms after the request; the command may or may not have run to its end there");
            request.replyTo().tell(new Lost(request.target(), after));
            return true;
        });
        return this;
    }

    private Behavior<Command> onRun(Run msg) {
        log.remoteExecStarted(msg.requester(), self, RemoteCommand.display(msg.argv()));
        runHere(msg.requester(), msg.argv(), Duration.ofMillis(msg.timeoutMillis()), msg.mergeStderr(), msg.replyTo());
        return this;
    }

    /** Runs the command on the blocking dispatcher; the actor hears of it when it ends. */
    private void runHere(String requester, List<String> argv, Duration timeout, boolean merge,
                         ActorRef<RunResult> replyTo) {
        getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> command.run(argv, timeout, merge), blocking),
                (result, failure) -> new Finished(requester, argv, failure == null ? RunResult.of(result)
                        : new RunResult(-1, "", "internal error running the command: " + failure, false, 0), replyTo));
    }

    private Behavior<Command> onFinished(Finished msg) {
        RunResult r = msg.result();
        log.remoteExecEnded(msg.requester(), self, RemoteCommand.display(msg.argv()), r.exitCode(), r.timedOut(),
                r.elapsedMillis());
        msg.replyTo().tell(r);
        return this;
    }

    /** Why messages cannot reach {@code target} over the cluster connection now, if they cannot. */
    private Optional<String> unreachable(ServerConfig target) {
        List<Member> members = StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
                .filter(m -> CommPathMonitor.at(m.address(), target)).toList();
        if (members.isEmpty()) {
            return Optional.of("it is not a member of the cluster (DEAD, or not started)");
        }
        if (silent.contains(target.name())) {
            return Optional.of("it does not answer heartbeats on the cluster connection (DEAD, or cut off)");
        }
        Set<Member> unreachable = cluster.state().getUnreachable();
        if (members.stream().anyMatch(m -> (m.status().equals(MemberStatus.up())
                || m.status().equals(MemberStatus.weaklyUp())) && !unreachable.contains(m))) {
            return Optional.empty();
        }
        if (members.stream().anyMatch(unreachable::contains)) {
            return Optional.of("it is unreachable over the cluster connection (messages travel only there)");
        }
        return Optional.of("it is " + members.get(0).status() + " in the cluster, not Up");
    }

}
