package dev.vigil.daemon.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.LogType;
import dev.vigil.core.config.LogSettings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.daemon.ClusterPathCut;
import dev.vigil.daemon.Daemon;
import dev.vigil.daemon.Environment;
import dev.vigil.daemon.ShutdownMode;
import dev.vigil.daemon.TestSupport;
import dev.vigil.daemon.notify.LogSetup;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cluster failure simulations: three real daemons (Pekko cluster on loopback) in one JVM — n1 and
 * n2 may run the hierarchy (n1 first by priority), n3 is a witness that only votes — with the kits
 * and the fencing guard replaced by the in-memory {@link SimWorld}, whose invariant checker fails
 * the test if the hierarchy is ever in service on two servers or a restore overlaps a remove
 * elsewhere. Each scenario asserts where the hierarchy ends and the placement line logged.
 */
class FailoverSimulationTest {
    private static final String TAG = "powergres-/share/data";
    private static final Duration SETTLE = Duration.ofSeconds(30);
    /** Detection (~1 s here) + fence wait (~1.05 s) + restore, with a wide margin for a loaded CI machine. */
    private static final Duration FAILOVER = Duration.ofSeconds(20);

    private Path dir;
    private SimWorld world;
    private List<Integer> clusterPorts;
    private List<Integer> adminPorts;
    private final List<VigilConfig> configs = new ArrayList<>();
    private final Daemon[] daemons = new Daemon[3];

    @BeforeEach
    void startCluster() throws Exception {
        dir = Files.createTempDirectory("vigil-sim");
        LogSetup.configure(new LogSettings(dir.resolve("logs"), 10L << 20, 5), "test");
        clusterPorts = TestSupport.freePorts(3);
        adminPorts = TestSupport.freePorts(3);
        for (int i = 0; i < 3; i++) {
            configs.add(TestSupport.config(dir, "n" + (i + 1), clusterPorts, adminPorts.get(i)));
        }
        world = new SimWorld(configs.get(0).hierarchies());
        List<CompletableFuture<Daemon>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            starting.add(CompletableFuture.supplyAsync(() -> start(n)));
        }
        for (int i = 0; i < 3; i++) {
            daemons[i] = starting.get(i).get(30, TimeUnit.SECONDS);
        }
        TestSupport.await("the hierarchy in service on n1", SETTLE, () -> world.fullyOn("n1", TAG));
    }

    private Daemon start(int n) {
        String server = "n" + (n + 1);
        Environment env = new Environment(r -> world.kit(server, r), world.fencing(server,
                configs.get(n).cluster().fencing().timings().guardTimeout().toMillis()));
        return Daemon.start(configs.get(n), env, "token-" + server,
                ClusterPathCut.testMode().withFallback(TestSupport.crashable()), () -> { });
    }

    @AfterEach
    void stopCluster() {
        TestSupport.stopAll(daemons, dir);
        world.close();
        assertEquals(List.of(), world.violations(), "the hierarchy ran on two servers, or a restore overlapped a remove");
    }

    private String mainLog() {
        return TestSupport.read(dir.resolve("logs").resolve(LogType.LOG.fileName()));
    }

    private void awaitOnlyOn(String server) {
        TestSupport.await("the hierarchy in service on " + server + " only (now " + world.runningOn(TAG) + ")", FAILOVER,
                () -> world.fullyOn(server, TAG) && world.runningOn(TAG).equals(Set.of(server)));
    }

    @Test
    void theOwnersCrashFailsTheHierarchyOverToTheNextServerByPriority() {
        long crashed = System.nanoTime();
        world.powerOff("n1");
        daemons[0].system().terminate();
        awaitOnlyOn("n2");
        System.out.println("power-off of n1 -> in service on n2 after " + (System.nanoTime() - crashed) / 1_000_000 + " ms");
        assertTrue(mainLog().contains("n2 INFO  placement of hierarchy \"" + TAG + "\": failing over " + TAG
                + " to n2: n1 down on all 1 comm path"), mainLog());
        daemons[0] = null;
    }

    @Test
    void anOwnerCutOffFromTheMajorityStopsItsHierarchyBeforeTheMajorityRestoresIt() throws Exception {
        for (int other : List.of(1, 2)) {
            ClusterPathCut.set(daemons[0].system(), daemons[other].system().address(), true);
        }
        awaitOnlyOn("n2");
        String log = mainLog();
        assertTrue(log.contains("n1 ERROR taking hierarchy \"" + TAG + "\" out of service on n1 at once: this server no"
                + " longer sees a majority of the 3 servers"), log);
        List<SimWorld.Event> events = world.events();
        long n1Stopped = events.stream().filter(e -> e.server().equals("n1") && e.action().equals("remove"))
                .mapToLong(SimWorld.Event::atMillis).max().orElseThrow();
        long n2Started = events.stream().filter(e -> e.server().equals("n2") && e.action().equals("restore"))
                .mapToLong(SimWorld.Event::atMillis).min().orElseThrow();
        assertTrue(n1Stopped < n2Started, "n1 stopped at " + n1Stopped + " ms, n2 started at " + n2Started + " ms");
    }

    @Test
    void aRestoreRequestedOnTheBackupSwitchesTheHierarchyOverTopDownThenBottomUp() {
        HttpResponse<String> r = TestSupport.http("POST", adminPorts.get(1), "/v1/hierarchies/" + TAG.replace("/", "%2F")
                + "/actions", "token-n2", "{\"action\":\"restore\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"succeeded\":true"), r.body());
        awaitOnlyOn("n2");
        assertTrue(mainLog().contains("switching " + TAG + " over to n2 on operator request"), mainLog());
    }

    @Test
    void whenLocalRecoveryIsExhaustedTheHierarchyFailsOver() {
        world.breakResource("n1", "fs-/share");
        awaitOnlyOn("n2");
        assertTrue(mainLog().contains("failing over " + TAG + " to n2: n1 failed"), mainLog());
    }

    @Test
    void lkstopDashNOnTheOwnerSwitchesOverBeforeTheDaemonStops() throws Exception {
        int code = daemons[0].stop(ShutdownMode.SWITCHOVER).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertEquals(0, code);
        daemons[0] = null;
        assertTrue(world.fullyOn("n2", TAG), "in service on n2 by the time lkstop -n returns: " + world.runningOn(TAG));
        awaitOnlyOn("n2");
    }

    @Test
    void lkstopDashFLeavesItRunningAndTheNextStartAdoptsIt() throws Exception {
        daemons[0].stop(ShutdownMode.LEAVE_RUNNING).toCompletableFuture().get(60, TimeUnit.SECONDS);
        daemons[0] = null;
        Thread.sleep(3000);
        assertEquals(Set.of("n1"), world.runningOn(TAG), "left running, not taken over");
        int restoresBefore = (int) world.events().stream().filter(e -> e.action().equals("restore")).count();
        daemons[0] = start(0);
        TestSupport.await("adopted on n1", SETTLE, () -> mainLog().contains("n1 INFO  hierarchy \"" + TAG
                + "\" adopted on \"n1\""));
        Thread.sleep(2000);
        assertEquals(restoresBefore, world.events().stream().filter(e -> e.action().equals("restore")).count(),
                "nothing restored again");
        assertEquals(Set.of("n1"), world.runningOn(TAG));
    }
}
