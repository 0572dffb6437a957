package dev.vigil.daemon.cluster;

import dev.vigil.core.config.VigilConfig;
import dev.vigil.daemon.notify.OperatorLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * How this server comes into the cluster. Only the first configured server may form a new
 * cluster, and Pekko's first-seed process makes it do so when no other server answers within
 * 5 s: on a loaded machine a restarted first server could then form a second cluster of its own
 * beside the running one, and never merge back. So once a server has been a member (remembered
 * in {@code <state-dir>/cluster-member}), the first server restarts with itself as the last seed
 * node (Pekko then only asks the others) and forms the cluster itself only when none has let it
 * in within {@code cluster.rejoin-wait}. Its first-ever start keeps Pekko's behaviour: a new
 * cluster forms after 5 s.
 */
public final class ClusterFormation {
    /** The file, in the state directory, naming the cluster this server has been a member of. */
    public static final String MEMBER_FILE = "cluster-member";

    public sealed interface Command {
    }

    private enum SelfUpSeen implements Command {
        INSTANCE
    }

    private enum WaitOver implements Command {
        INSTANCE
    }

    private ClusterFormation() {
    }

    /**
     * True when this server must try the other servers before forming the cluster alone: it is the
     * first configured server of several, and it has been a member before (or is rejoining after
     * being downed, {@code rejoining}).
     */
    public static boolean joinsOthersFirst(VigilConfig config, boolean rejoining) {
        return config.cluster().servers().size() > 1 && config.cluster().isFirst(config.serverName())
                && (rejoining || wasMember(config));
    }

    /** True when {@code <state-dir>/cluster-member} names this configuration's cluster. */
    static boolean wasMember(VigilConfig config) {
        try {
            return Files.readString(config.stateDir().resolve(MEMBER_FILE), StandardCharsets.UTF_8).strip()
                    .equals(config.cluster().name());
        } catch (IOException e) {
            return false; // none (or unreadable): as on the first-ever start
        }
    }

    /**
     * Remembers that this server has become a member, and, when {@code othersFirst}, forms the
     * cluster alone if it is not a member after {@code cluster.rejoin-wait}; logs which happened.
     */
    public static Behavior<Command> create(VigilConfig config, boolean othersFirst, OperatorLog log) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            Cluster cluster = Cluster.get(ctx.getSystem());
            cluster.subscriptions().tell(Subscribe.create(
                    ctx.messageAdapter(SelfUp.class, up -> SelfUpSeen.INSTANCE), SelfUp.class));
            if (!othersFirst) {
                return upRemembered(config, log);
            }
            Duration wait = config.cluster().rejoinWait();
            log.joiningOthersFirst(wait.toSeconds());
            timers.startSingleTimer(WaitOver.INSTANCE, wait);
            return Behaviors.receive(Command.class)
                    .onMessageEquals(SelfUpSeen.INSTANCE, () -> {
                        timers.cancel(WaitOver.INSTANCE);
                        log.joinedOtherServers(config.cluster().name());
                        remember(config, log);
                        return Behaviors.ignore();
                    })
                    .onMessageEquals(WaitOver.INSTANCE, () -> {
                        if (cluster.selfMember().status() != MemberStatus.removed()) {
                            return upRemembered(config, log); // let in, not Up yet
                        }
                        log.formingClusterAlone(config.cluster().name(), wait.toSeconds());
                        cluster.manager().tell(Join.create(cluster.selfMember().address()));
                        return upRemembered(config, log);
                    })
                    .build();
        }));
    }

    /** Waits for this server to be Up, and remembers it. */
    private static Behavior<Command> upRemembered(VigilConfig config, OperatorLog log) {
        return Behaviors.receive(Command.class)
                .onMessageEquals(SelfUpSeen.INSTANCE, () -> {
                    remember(config, log);
                    return Behaviors.ignore();
                })
                .build();
    }

    private static void remember(VigilConfig config, OperatorLog log) {
        if (wasMember(config)) {
            return;
        }
        Path dir = config.stateDir();
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(MEMBER_FILE + ".tmp");
            Files.writeString(tmp, config.cluster().name() + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(MEMBER_FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.memberFileNotWritten(dir.resolve(MEMBER_FILE).toString(), String.valueOf(e.getMessage()));
        }
    }
}
