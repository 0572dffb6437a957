package dev.vigil.daemon;

import static dev.vigil.daemon.TestSupport.await;
import static dev.vigil.daemon.TestSupport.count;
import static dev.vigil.daemon.TestSupport.since;
import static dev.vigil.daemon.TestSupport.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.CommPathState;
import dev.vigil.core.LogType;
import dev.vigil.core.ServerState;
import dev.vigil.core.config.LogSettings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.CommPathStatus;
import dev.vigil.daemon.cluster.heartbeat.HeartbeatFaultInjection;
import dev.vigil.daemon.notify.LogSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three daemons in one JVM joined by two comm paths each: the cluster connection (priority 1) and
 * one UDP network "lan2" on other loopback ports (priority 2). One path failing is a logged path
 * failure, never a server failure or a downing; only a server silent on both is DEAD, and then
 * the two survivors — a majority — remove it. The last test crashes n3.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommPathRedundancyTest {
    private static final Duration FORMATION = Duration.ofSeconds(30);
    /** Detection (about 1.3 s with 100 ms / 600 ms) plus a margin for a loaded 2-core machine. */
    private static final Duration DETECTION = Duration.ofSeconds(5);
    /** Pekko's own verdict on the cluster connection: 1 s + 3 s + 5.2 × 100 ms, its reaper and leader rounds (1 s each). */
    private static final Duration PEKKO_DETECTION = Duration.ofMillis(1000 + 3000 + 520 + 1000 + 1000);

    private static Path dir;
    private static Path lcm;
    private static Path main;
    private static List<Integer> clusterPorts;
    private static List<Integer> udpPorts;
    private static final Daemon[] daemons = new Daemon[3];

    @BeforeAll
    static void startCluster() throws Exception {
        dir = Files.createTempDirectory("vigil-comm-paths-test");
        LogSetup.configure(new LogSettings(dir.resolve("logs"), 10L << 20, 5), "test");
        lcm = dir.resolve("logs").resolve(LogType.LCM.fileName());
        main = dir.resolve("logs").resolve(LogType.LOG.fileName());
        clusterPorts = TestSupport.freePorts(3);
        List<Integer> adminPorts = TestSupport.freePorts(3);
        List<Integer> taken = new ArrayList<>(clusterPorts);
        taken.addAll(adminPorts);
        udpPorts = TestSupport.freeUdpPorts(3, taken);
        List<CompletableFuture<Daemon>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            VigilConfig config = TestSupport.config(dir, "n" + (i + 1), clusterPorts, adminPorts.get(i),
                    TestSupport.commPaths("lan2", udpPorts));
            var pekko = ClusterPathCut.testMode().withFallback(i == 2 ? TestSupport.crashable() : TestSupport.sharedJvm());
            starting.add(CompletableFuture.supplyAsync(() -> Daemon.start(config, "token", pekko, () -> { })));
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
    void everyPathAlive() {
        if (daemons[2].whenStopped().toCompletableFuture().isDone()) {
            return;
        }
        Duration took = await("every server sees both paths to every other ALIVE", FORMATION, () -> {
            for (Daemon d : daemons) {
                ClusterStatus s = status(d.system());
                List<CommPathStatus> own = s.server(s.local()).orElseThrow().commPaths();
                if (own.size() != 4 || own.stream().anyMatch(p -> p.state() != CommPathState.ALIVE)
                        || s.servers().stream().anyMatch(x -> x.state() != ServerState.ALIVE)) {
                    return false;
                }
            }
            return true;
        });
        System.out.println("all paths ALIVE everywhere after " + took.toMillis() + " ms");
    }

    @Test
    @Order(1)
    void statusListsBothPathsToEveryPeerByPriority() {
        ClusterStatus s = status(daemons[0].system());
        List<CommPathStatus> paths = s.server("n1").orElseThrow().commPaths();
        assertEquals(List.of(
                new CommPathStatus("n2", "TCP", addr(clusterPorts.get(0)), addr(clusterPorts.get(1)), CommPathState.ALIVE, 1, 0),
                new CommPathStatus("n2", "UDP", addr(udpPorts.get(0)), addr(udpPorts.get(1)), CommPathState.ALIVE, 2, 0),
                new CommPathStatus("n3", "TCP", addr(clusterPorts.get(0)), addr(clusterPorts.get(2)), CommPathState.ALIVE, 1, 0),
                new CommPathStatus("n3", "UDP", addr(udpPorts.get(0)), addr(udpPorts.get(2)), CommPathState.ALIVE, 2, 0)),
                paths);
    }

    @Test
    @Order(2)
    void cuttingTheExtraNetworkIsAPathFailureAndNotAMachineFailure() {
        int lcmBefore = TestSupport.read(lcm).length();
        int mainBefore = TestSupport.read(main).length();
        HeartbeatFaultInjection n3Faults = HeartbeatFaultInjection.get(daemons[2].system());
        long cut = System.nanoTime();
        n3Faults.unplugForTesting("lan2");
        await("n1 and n2 see their lan2 path to n3 DEAD", DETECTION,
                () -> udpPath(0, "n3").state() == CommPathState.DEAD && udpPath(1, "n3").state() == CommPathState.DEAD);
        System.out.println("lan2 path to n3 DEAD on n1 and n2 after " + ms(cut) + " ms");
        for (int i = 0; i < 2; i++) {
            assertEquals(ServerState.ALIVE, status(daemons[i].system()).server("n3").orElseThrow().state());
        }
        await("the failure lines are written", DETECTION, () -> since(lcm, lcmBefore).contains("n2 WARN  COMMUNICATION TO n3"));
        String lcmLines = since(lcm, lcmBefore);
        for (int i = 0; i < 2; i++) {
            assertTrue(lcmLines.contains("n" + (i + 1) + " WARN  COMMUNICATION TO n3 BY " + addr(udpPorts.get(i)) + "/"
                    + addr(udpPorts.get(2)) + " FAILED AT: "), lcmLines);
        }
        String mainLines = since(main, mainBefore);
        assertTrue(mainLines.contains("n1 WARN  server \"n3\" is reachable over one comm path only ("
                + addr(clusterPorts.get(0)) + "/" + addr(clusterPorts.get(2)) + "): no redundant comm path AT: "), mainLines);
        assertTrue(udpPath(0, "n3").commDowns() >= 1, "the path's failure is counted");

        n3Faults.plugInForTesting("lan2");
        await("n1 and n2 see their lan2 path to n3 ALIVE again", DETECTION,
                () -> udpPath(0, "n3").state() == CommPathState.ALIVE && udpPath(1, "n3").state() == CommPathState.ALIVE);
        await("the restored lines are written", DETECTION, () -> count(since(lcm, lcmBefore), " RESTORED AT: ") >= 2);
        lcmLines = since(lcm, lcmBefore);
        assertTrue(lcmLines.contains("n1 INFO  COMMUNICATION TO n3 BY " + addr(udpPorts.get(0)) + "/"
                + addr(udpPorts.get(2)) + " RESTORED AT: "), lcmLines);
        mainLines = since(main, mainBefore);
        assertTrue(mainLines.contains("n1 INFO  server \"n3\" has redundant comm paths again (2 of 2 ALIVE) AT: "),
                mainLines);
        assertFalse(mainLines.contains("MACHINE FAILURE"), mainLines);
    }

    @Test
    @Order(3)
    void aFlappingExtraNetworkNeitherFailsNorRemovesTheServer() throws Exception {
        int mainBefore = TestSupport.read(main).length();
        HeartbeatFaultInjection n3Faults = HeartbeatFaultInjection.get(daemons[2].system());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        boolean unplugged = false;
        try {
            while (System.nanoTime() < end) {
                unplugged = !unplugged;
                if (unplugged) {
                    n3Faults.unplugForTesting("lan2");
                } else {
                    n3Faults.plugInForTesting("lan2");
                }
                Thread.sleep(300);
            }
        } finally {
            n3Faults.plugInForTesting("lan2");
        }
        Thread.sleep(TestSupport.DOWN_AFTER.toMillis());
        String mainLines = since(main, mainBefore);
        assertFalse(mainLines.contains("MACHINE FAILURE"), mainLines);
        assertFalse(mainLines.contains("removing server"), mainLines);
        assertEquals(Optional.of(MemberStatus.up()), memberStatus(0, 2));
    }

    @Test
    @Order(4)
    void aServerCutOffTheClusterConnectionButAliveOnAnotherPathStaysAliveAndAMember() throws Exception {
        int mainBefore = TestSupport.read(main).length();
        Instant cutAt = Instant.now();
        for (int i = 0; i < 2; i++) {
            ClusterPathCut.set(daemons[2].system(), address(i), true);
        }
        try {
            await("n1 and n2 see their cluster path to n3 DEAD", DETECTION,
                    () -> clusterPath(0, "n3").state() == CommPathState.DEAD && clusterPath(1, "n3").state() == CommPathState.DEAD);
            Thread.sleep(TestSupport.DOWN_AFTER.multipliedBy(3).toMillis());
            await("n1 and n2 see n3 ALIVE over lan2 with a report from before the cut", DETECTION, () -> {
                for (int i = 0; i < 2; i++) {
                    ClusterStatus s = status(daemons[i].system());
                    if (s.server("n3").orElseThrow().state() != ServerState.ALIVE
                            || udpPath(i, "n3").state() != CommPathState.ALIVE
                            || clusterPath(i, "n3").state() != CommPathState.DEAD
                            || !s.server("n3").orElseThrow().reportedAt().isBefore(cutAt.plusSeconds(1))) {
                        return false; // n3's reports travel over the cluster connection only, so its last one ages
                    }
                }
                return true;
            });
            assertEquals(Optional.of(MemberStatus.up()), memberStatus(0, 2), "Pekko would have downed n3; Vigil does not");
            String mainLines = since(main, mainBefore);
            assertFalse(mainLines.contains("MACHINE FAILURE"), mainLines);
            assertFalse(mainLines.contains("removing server"), mainLines);
        } finally {
            for (int i = 0; i < 2; i++) {
                ClusterPathCut.set(daemons[2].system(), address(i), false);
            }
        }
        await("the cluster paths to n3 are ALIVE again", Duration.ofSeconds(10),
                () -> clusterPath(0, "n3").state() == CommPathState.ALIVE && clusterPath(1, "n3").state() == CommPathState.ALIVE);
    }

    @Test
    @Order(5)
    void aCrashedServerIsDeadOnEveryPathOnceAndTheMajorityRemovesIt() throws Exception {
        int mainBefore = TestSupport.read(main).length();
        long crash = System.nanoTime();
        daemons[2].system().terminate();
        await("n1 and n2 see n3 DEAD", DETECTION, () -> seesDead(0, "n3") && seesDead(1, "n3"));
        System.out.println("crash of n3 (2 comm paths) detected by n1 and n2 after " + ms(crash) + " ms");
        // Removal also waits for Pekko's own failure detector (1 s heartbeats, 3 s pause, a 1 s reaper)
        // to find n3 unreachable, and for the leader's next round: about 6 s after the crash.
        await("n1 and n2 remove n3 from the cluster", PEKKO_DETECTION.plus(DETECTION),
                () -> memberStatus(0, 2).isEmpty() && memberStatus(1, 2).isEmpty());
        System.out.println("n3 removed from the cluster after " + ms(crash) + " ms (down-after "
                + TestSupport.DOWN_AFTER.toMillis() + " ms)");
        String mainLines = since(main, mainBefore);
        for (String n : List.of("n1", "n2")) {
            assertEquals(1, count(mainLines, n + " WARN  MACHINE FAILURE: server \"n3\" is DEAD (all 2 comm paths down) AT: "),
                    mainLines);
        }
        assertTrue(mainLines.contains("removing server \"n3\" from the cluster: DEAD on all 2 comm paths for "
                + TestSupport.DOWN_AFTER.toMillis() + " ms, and this server sees 2 of 3 servers ALIVE AT: "), mainLines);
    }

    private static String addr(int port) {
        return "127.0.0.1:" + port;
    }

    private static long ms(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static Address address(int server) {
        return Cluster.get(daemons[server].system()).selfMember().address();
    }

    /** The status of n{server+1}'s member as n{observer+1} knows it; empty once removed. */
    private static Optional<MemberStatus> memberStatus(int observer, int server) {
        String host = "127.0.0.1";
        int port = clusterPorts.get(server);
        return StreamSupport.stream(Cluster.get(daemons[observer].system()).state().getMembers().spliterator(), false)
                .filter(m -> m.address().getHost().orElse("").equals(host) && m.address().getPort().orElse(0) == port)
                .map(Member::status).findFirst();
    }

    private static CommPathStatus path(int observer, String peer, int priority) {
        ClusterStatus s = status(daemons[observer].system());
        return s.server(s.local()).orElseThrow().commPaths().stream()
                .filter(p -> p.to().equals(peer) && p.priority() == priority).findFirst().orElseThrow();
    }

    private static CommPathStatus clusterPath(int observer, String peer) {
        return path(observer, peer, 1);
    }

    private static CommPathStatus udpPath(int observer, String peer) {
        return path(observer, peer, 2);
    }

    private static boolean seesDead(int observer, String peer) {
        return status(daemons[observer].system()).server(peer).orElseThrow().state() == ServerState.DEAD
                && clusterPath(observer, peer).state() == CommPathState.DEAD
                && udpPath(observer, peer).state() == CommPathState.DEAD;
    }
}
