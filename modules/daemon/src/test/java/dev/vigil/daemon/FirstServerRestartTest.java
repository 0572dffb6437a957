package dev.vigil.daemon;

import static dev.vigil.daemon.TestSupport.await;
import static dev.vigil.daemon.TestSupport.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.vigil.core.LogType;
import dev.vigil.core.ServerState;
import dev.vigil.core.config.LogSettings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.daemon.cluster.ClusterFormation;
import dev.vigil.daemon.notify.LogSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the first configured server (n1, Pekko's first seed node) comes into the cluster. Restarted
 * after it has been a member while the others answer only after Pekko's 5 s seed-node timeout,
 * it joins them instead of forming a second cluster alone; alone, it forms the cluster after
 * {@code cluster.rejoin-wait}; and its first-ever start forms a new cluster after 5 s, as before.
 */
class FirstServerRestartTest {
    private static final Duration FORMATION = Duration.ofSeconds(30);
    /** Longer than Pekko's seed-node-timeout (5 s), after which n1 used to form a cluster of its own. */
    private static final Duration UNREACHABLE = Duration.ofSeconds(8);

    private Path dir;
    private final Daemon[] daemons = new Daemon[3];

    @AfterEach
    void cleanUp() {
        TestSupport.stopAll(daemons, dir);
    }

    @Test
    void restartedFirstServerJoinsTheRunningClusterWhenTheOthersAnswerAfterTheSeedTimeout() throws Exception {
        List<VigilConfig> configs = configs(3, "");
        Config pekko = ClusterPathCut.testMode().withFallback(TestSupport.crashable());
        List<CompletableFuture<Daemon>> starting = new ArrayList<>();
        for (VigilConfig config : configs) {
            starting.add(CompletableFuture.supplyAsync(() -> Daemon.start(config, "token", pekko, () -> { })));
        }
        for (int i = 0; i < 3; i++) {
            daemons[i] = starting.get(i).get(30, TimeUnit.SECONDS);
        }
        awaitOneClusterOfThree();
        Path memberFile = configs.get(0).stateDir().resolve(ClusterFormation.MEMBER_FILE);
        await("n1 records its membership", FORMATION, () -> Files.exists(memberFile));
        assertEquals("vigil", Files.readString(memberFile).strip());

        Address n1 = Cluster.get(daemons[0].system()).selfMember().address();
        daemons[0].system().terminate(); // kill -9: no leaving, no goodbye
        assertEquals(0, daemons[0].whenStopped().toCompletableFuture().get(20, TimeUnit.SECONDS));
        daemons[0] = null;
        await("n2 and n3 see n1 DEAD", FORMATION, () -> seesDead(daemons[1]) && seesDead(daemons[2]));

        // Cut on n2 and n3 only: a system that has cut a path once drops the handshake replies of
        // servers it has not met yet (Pekko's test mode), and n1's new actor system has met none.
        int mainBefore = mainLog().length();
        cut(daemons[1], n1, true);
        cut(daemons[2], n1, true);
        daemons[0] = Daemon.start(configs.get(0), "token", pekko, () -> { });
        Thread.sleep(UNREACHABLE.toMillis());
        assertEquals(MemberStatus.removed(), Cluster.get(daemons[0].system()).selfMember().status(),
                "n1 did not form a cluster of its own while n2 and n3 did not answer");
        cut(daemons[1], n1, false);
        cut(daemons[2], n1, false);

        awaitOneClusterOfThree();
        String since = mainLog().substring(mainBefore);
        assertTrue(since.contains("n1 INFO  server \"n1\" has been a cluster member before: joining the other servers"
                + " first (forming the cluster alone after 30 s without an answer)"), since);
        assertTrue(since.contains("n1 INFO  server \"n1\" joined the running cluster \"vigil\" through the other"
                + " servers AT: "), since);
        assertFalse(since.contains("forming cluster"), since);
    }

    @Test
    void firstServerAloneFormsTheClusterAfterTheSeedTimeoutFirstAndAfterRejoinWaitOnceItWasAMember() throws Exception {
        VigilConfig n1 = configs(3, "rejoin-wait = 2s").get(0);
        daemons[0] = Daemon.start(n1, "token", TestSupport.sharedJvm(), () -> { });
        Duration took = await("n1, started for the first time, Up alone", FORMATION, () -> up(daemons[0]));
        System.out.println("first-ever start of n1 alone: Up after " + took.toMillis() + " ms");
        assertTrue(took.compareTo(Duration.ofSeconds(12)) < 0, "Pekko's 5 s seed timeout, not more: " + took);
        assertFalse(mainLog().contains("joining the other servers first"), mainLog());
        Path memberFile = n1.stateDir().resolve(ClusterFormation.MEMBER_FILE);
        await("n1 records its membership", FORMATION, () -> Files.exists(memberFile));

        assertEquals(0, daemons[0].stop().toCompletableFuture().get(30, TimeUnit.SECONDS));
        int mainBefore = mainLog().length();
        daemons[0] = Daemon.start(n1, "token", TestSupport.sharedJvm(), () -> { });
        await("n1, restarted, Up alone after its rejoin wait", FORMATION, () -> up(daemons[0]));
        String since = mainLog().substring(mainBefore);
        assertTrue(since.contains("n1 INFO  server \"n1\" has been a cluster member before: joining the other servers"
                + " first (forming the cluster alone after 2 s without an answer)"), since);
        assertTrue(since.contains("n1 WARN  no other server answered server \"n1\" within 2 s: forming cluster"
                + " \"vigil\" AT: "), since);
    }

    /** n1, n2, … of a cluster of {@code servers} on loopback, {@code clusterExtra} inside {@code cluster { }}. */
    private List<VigilConfig> configs(int servers, String clusterExtra) throws Exception {
        dir = Files.createTempDirectory("vigil-first-server-restart");
        LogSetup.configure(new LogSettings(dir.resolve("logs"), 10L << 20, 5), "test");
        List<Integer> clusterPorts = TestSupport.freePorts(servers);
        List<Integer> adminPorts = TestSupport.freePorts(servers);
        List<VigilConfig> configs = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            configs.add(TestSupport.config(dir, "n" + (i + 1), clusterPorts, adminPorts.get(i), clusterExtra));
        }
        return configs;
    }

    /** Every server sees the three ALIVE, and Pekko has one membership of three Up members everywhere. */
    private void awaitOneClusterOfThree() {
        Duration took = await("one cluster of n1, n2 and n3, each ALIVE for the others", FORMATION, () -> {
            for (Daemon d : daemons) {
                ClusterStatus s = status(d.system());
                if (s.servers().size() != 3 || s.servers().stream().anyMatch(x -> x.state() != ServerState.ALIVE)) {
                    return false;
                }
                List<Member> members = new ArrayList<>();
                Cluster.get(d.system()).state().getMembers().forEach(members::add);
                if (members.size() != 3 || members.stream().anyMatch(m -> m.status() != MemberStatus.up())) {
                    return false;
                }
                for (Daemon other : daemons) {
                    if (!members.contains(Cluster.get(other.system()).selfMember())) {
                        return false;
                    }
                }
            }
            return true;
        });
        System.out.println("one cluster of three after " + took.toMillis() + " ms");
    }

    private static boolean seesDead(Daemon observer) {
        return status(observer.system()).server("n1").orElseThrow().state() == ServerState.DEAD;
    }

    private static boolean up(Daemon d) {
        return Cluster.get(d.system()).selfMember().status() == MemberStatus.up();
    }

    private static void cut(Daemon d, Address other, boolean cut) throws Exception {
        ClusterPathCut.set(d.system(), other, cut);
    }

    private String mainLog() {
        return TestSupport.read(dir.resolve("logs").resolve(LogType.LOG.fileName()));
    }
}
