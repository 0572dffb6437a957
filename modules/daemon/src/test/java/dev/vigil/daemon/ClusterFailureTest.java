package dev.vigil.daemon;

import static dev.vigil.daemon.TestSupport.await;
import static dev.vigil.daemon.TestSupport.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.CommPathState;
import dev.vigil.core.LogType;
import dev.vigil.core.ResourceState;
import dev.vigil.core.ServerState;
import dev.vigil.core.config.LogSettings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.CommPathStatus;
import dev.vigil.core.status.ServerStatus;
import dev.vigil.daemon.notify.LogSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three daemons in one JVM form a real Pekko cluster on 127.0.0.1: a crashed server is DEAD
 * everywhere within the failure detector's bound and ALIVE again when restarted on its port; a
 * downed server starts a fresh member by itself and rejoins.
 */
class ClusterFailureTest {
    private static final Duration FORMATION = Duration.ofSeconds(30);
    /**
     * When the survivors must call a crashed server DEAD: phi reaches 8 about 5.2 standard
     * deviations (at least 100 ms; 600 ms here) after heartbeat-interval + acceptable-heartbeat-pause, and the
     * reaper acts within one more heartbeat; plus a margin for a busy 2-core machine.
     */
    private static final Duration DETECTION_BOUND = TestSupport.HEARTBEAT.plus(TestSupport.PAUSE)
            .plus(Duration.ofMillis(600)).plus(TestSupport.HEARTBEAT);
    private static final Duration MARGIN = Duration.ofMillis(2000);

    private static Path dir;
    private static Path logs;
    private static List<Integer> clusterPorts;
    private static final List<VigilConfig> configs = new ArrayList<>();
    private static final Daemon[] daemons = new Daemon[3];

    @BeforeAll
    static void startCluster() throws Exception {
        dir = Files.createTempDirectory("vigil-cluster-test");
        logs = dir.resolve("logs");
        LogSetup.configure(new LogSettings(logs, 10L << 20, 5), "test");
        clusterPorts = TestSupport.freePorts(3);
        List<Integer> adminPorts = TestSupport.freePorts(3);
        for (int i = 0; i < 3; i++) {
            configs.add(TestSupport.config(dir, "n" + (i + 1), clusterPorts, adminPorts.get(i)));
        }
        List<CompletableFuture<Daemon>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            starting.add(CompletableFuture.supplyAsync(() -> Daemon.start(configs.get(n), "token-n" + (n + 1),
                    n == 2 ? TestSupport.crashable() : TestSupport.sharedJvm(), () -> { })));
        }
        for (int i = 0; i < 3; i++) {
            daemons[i] = starting.get(i).get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopCluster() {
        TestSupport.stopAll(daemons, dir);
    }

    @BeforeEach
    void everyServerSeesEveryServerAlive() {
        Duration took = await("all three servers ALIVE, with replicated reports, on every server", FORMATION, () -> {
            for (Daemon d : daemons) {
                if (!fullyAlive(status(d.system()))) {
                    return false;
                }
            }
            return true;
        });
        System.out.println("all three servers ALIVE everywhere after " + took.toMillis() + " ms");
    }

    @Test
    void crashedServerIsDeadEverywhereWithinTheFailureDetectorBoundAndAliveAgainAfterRestart() throws Exception {
        Daemon crashed = daemons[2];
        long stoppedAt = System.nanoTime();
        crashed.system().terminate(); // no CoordinatedShutdown, no leaving: the others only stop hearing it

        Duration detected = await("n1 and n2 report n3 DEAD and their comm path to n3 DEAD", DETECTION_BOUND.plus(MARGIN)
                .plusSeconds(3), () -> seesDead(daemons[0], "n3") && seesDead(daemons[1], "n3"));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - stoppedAt);
        System.out.println("crash of n3 detected by n1 and n2 after " + elapsed.toMillis() + " ms (bound "
                + DETECTION_BOUND.toMillis() + " ms + margin " + MARGIN.toMillis() + " ms; polled " + detected.toMillis()
                + " ms)");
        assertTrue(elapsed.compareTo(DETECTION_BOUND.plus(MARGIN)) <= 0,
                "detection took " + elapsed.toMillis() + " ms, more than " + DETECTION_BOUND.plus(MARGIN).toMillis());
        assertEquals(0, crashed.whenStopped().toCompletableFuture().get(20, TimeUnit.SECONDS));

        String lcm = TestSupport.read(logs.resolve(LogType.LCM.fileName()));
        String main = TestSupport.read(logs.resolve(LogType.LOG.fileName()));
        for (int i = 0; i < 2; i++) {
            String n = "n" + (i + 1);
            assertTrue(lcm.contains(n + " WARN  COMMUNICATION TO n3 BY 127.0.0.1:" + clusterPorts.get(i) + "/127.0.0.1:"
                    + clusterPorts.get(2) + " FAILED AT: "), lcm);
            assertTrue(main.contains(n + " WARN  MACHINE FAILURE: server \"n3\" is DEAD (all 1 comm paths down) AT: "),
                    main);
        }
        int downsBefore = path(status(daemons[0].system()), "n1", "n3").commDowns();
        assertTrue(downsBefore >= 1, "comm downs of n1 → n3 counted");

        Instant restartedAt = Instant.now();
        daemons[2] = Daemon.start(configs.get(2), "token-n3", TestSupport.crashable(), () -> { });
        await("n3 ALIVE again on every server, its new report replicated", FORMATION, () -> {
            for (Daemon d : daemons) {
                ClusterStatus s = status(d.system());
                if (!fullyAlive(s) || s.server("n3").orElseThrow().reportedAt().isBefore(restartedAt)) {
                    return false;
                }
            }
            return true;
        });
        ServerStatus n3SeenFromN1 = status(daemons[0].system()).server("n3").orElseThrow();
        assertEquals(ServerState.ALIVE, n3SeenFromN1.state());
        assertEquals(List.of("n1", "n2"), n3SeenFromN1.commPaths().stream().map(CommPathStatus::to).toList());
        ServerStatus n1SeenFromN3 = status(daemons[2].system()).server("n1").orElseThrow();
        // n1, the highest-priority server, brought the hierarchy in service when the cluster formed.
        assertEquals(ResourceState.ISP, n1SeenFromN3.resources().get("powergres-/share/data").state());
        assertEquals(downsBefore, path(status(daemons[0].system()), "n1", "n3").commDowns());

        String lcmAfter = TestSupport.read(logs.resolve(LogType.LCM.fileName()));
        String mainAfter = TestSupport.read(logs.resolve(LogType.LOG.fileName()));
        for (int i = 0; i < 2; i++) {
            String n = "n" + (i + 1);
            assertTrue(lcmAfter.contains(n + " INFO  COMMUNICATION TO n3 BY 127.0.0.1:" + clusterPorts.get(i)
                    + "/127.0.0.1:" + clusterPorts.get(2) + " RESTORED AT: "), lcmAfter);
            assertTrue(mainAfter.contains(n + " INFO  server \"n3\" is ALIVE AT: "), mainAfter);
        }
    }

    @Test
    void downedServerStartsAFreshMemberAndRejoinsWithoutAnOperator() {
        Daemon downed = daemons[1];
        ActorSystem<Guardian.Command> before = downed.system();
        Address address = Cluster.get(before).selfMember().address();
        Cluster.get(daemons[0].system()).manager().tell(new Down(address));

        await("n2's first actor system terminated", Duration.ofSeconds(20), () -> before.whenTerminated().isCompleted());
        await("n2 ALIVE again on every server with a fresh actor system", FORMATION, () -> {
            if (downed.system() == before) {
                return false;
            }
            for (Daemon d : daemons) {
                if (!fullyAlive(status(d.system()))) {
                    return false;
                }
            }
            return true;
        });
        assertNotSame(before, downed.system());
        assertFalse(downed.whenStopped().toCompletableFuture().isDone(), "the daemon keeps running");
        String main = TestSupport.read(logs.resolve(LogType.LOG.fileName()));
        String lcm = TestSupport.read(logs.resolve(LogType.LCM.fileName()));
        assertTrue(main.contains("n2 WARN  server \"n2\" was downed and removed from the cluster AT: "), main);
        assertTrue(lcm.contains("n2 WARN  server \"n2\" was downed and removed from the cluster AT: "), lcm);
        assertFalse(main.contains("n2 WARN  MACHINE FAILURE: server \"n1\""), "n2 left its peers; they did not fail");
        await("n2 logs that it rejoined", Duration.ofSeconds(10), () -> TestSupport.read(logs.resolve(
                LogType.LOG.fileName())).contains("n2 INFO  Vigil rejoined the cluster on server \"n2\" AT: "));
    }

    @Test
    void orderlyStopOfAServerIsLoggedAsAShutdownNotAMachineFailure() throws Exception {
        Path mainLog = logs.resolve(LogType.LOG.fileName());
        int before = TestSupport.read(mainLog).length();
        assertEquals(0, daemons[2].stop().toCompletableFuture().get(30, TimeUnit.SECONDS));
        await("n1 and n2 report n3 DEAD", Duration.ofSeconds(15),
                () -> seesDead(daemons[0], "n3") && seesDead(daemons[1], "n3"));
        await("n1 and n2 log the orderly shutdown of n3", Duration.ofSeconds(5), () -> {
            String since = TestSupport.read(mainLog).substring(before);
            return since.contains("n1 INFO  server \"n3\" is DEAD (orderly shutdown) AT: ")
                    && since.contains("n2 INFO  server \"n3\" is DEAD (orderly shutdown) AT: ");
        });
        String since = TestSupport.read(mainLog).substring(before);
        assertTrue(since.contains("n3 INFO  Vigil shutdown initiated on server \"n3\" AT: "), since);
        assertTrue(since.contains("n3 INFO  Vigil shutdown complete on server \"n3\" AT: "), since);
        assertFalse(since.contains("MACHINE FAILURE"), "nobody failed: " + since);

        daemons[2] = Daemon.start(configs.get(2), "token-n3", TestSupport.crashable(), () -> { });
    }

    private static boolean fullyAlive(ClusterStatus s) {
        return s.servers().size() == 3 && s.servers().stream().allMatch(server -> server.state() == ServerState.ALIVE
                && server.reportedAt() != null && server.commPaths().size() == 2
                && server.commPaths().stream().allMatch(p -> p.state() == CommPathState.ALIVE));
    }

    private static boolean seesDead(Daemon observer, String peer) {
        ClusterStatus s = status(observer.system());
        return s.server(peer).orElseThrow().state() == ServerState.DEAD
                && path(s, s.local(), peer).state() == CommPathState.DEAD;
    }

    private static CommPathStatus path(ClusterStatus s, String from, String to) {
        return s.server(from).orElseThrow().commPaths().stream().filter(p -> p.to().equals(to)).findFirst()
                .orElseThrow();
    }
}
