package dev.vigil.daemon.sim;

import static dev.vigil.daemon.sim.SimCluster.TAG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.daemon.ShutdownMode;
import dev.vigil.daemon.TestSupport;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cluster failure simulations with a quorum: three real daemons (Pekko cluster on loopback) in one
 * JVM — n1 and n2 may run the hierarchy (n1 first by priority, intelligent switchback), n3 is a
 * witness that only votes — with the kits and the fencing guards replaced by the in-memory
 * {@link SimWorld}, whose invariant checker fails the test if the hierarchy is ever in service on
 * two servers or a restore overlaps a remove elsewhere. Each scenario asserts where the hierarchy
 * ends and the placement line logged.
 */
class FailoverSimulationTest {
    private SimCluster c;

    @BeforeEach
    void startCluster() throws Exception {
        c = new SimCluster(3, "intelligent", "");
    }

    @AfterEach
    void stopCluster() {
        c.close();
    }

    private HttpResponse<String> restoreOn(int n) {
        return TestSupport.http("POST", c.adminPorts.get(n), "/v1/hierarchies/" + TAG.replace("/", "%2F") + "/actions",
                "token-n" + (n + 1), "{\"action\":\"restore\"}");
    }

    @Test
    void whileNothingMovesTheQuorumKeepsFeedingTheGuard() throws Exception {
        // The rounds that only feed (the reports unchanged) must feed as the full decisions did:
        // the in-memory guard fences a hierarchy the moment its deadline passes.
        Thread.sleep(3000);
        assertTrue(c.world.guarded("n1", TAG), "n1's guard is armed while n1 runs the hierarchy");
        assertEquals(List.of(), c.world.events().stream().filter(e -> e.action().startsWith("fence")).toList());
        assertTrue(c.world.fullyOn("n1", TAG) && c.world.runningOn(TAG).equals(Set.of("n1")),
                "still in service on n1 only: " + c.world.runningOn(TAG));
    }

    @Test
    void theOwnersCrashFailsTheHierarchyOverToTheNextServerByPriority() {
        long crashed = System.nanoTime();
        c.powerOff(0);
        c.awaitOnlyOn("n2");
        System.out.println("power-off of n1 -> in service on n2 after " + (System.nanoTime() - crashed) / 1_000_000 + " ms");
        assertTrue(c.mainLog().contains("n2 INFO  placement of hierarchy \"" + TAG + "\": failing over " + TAG
                + " to n2: n1 down on all 1 comm path"), c.mainLog());
    }

    @Test
    void anOwnerCutOffFromTheMajorityStopsItsHierarchyBeforeTheMajorityRestoresIt() throws Exception {
        c.cut(0, 1, true);
        c.cut(0, 2, true);
        c.awaitOnlyOn("n2");
        String log = c.mainLog();
        assertTrue(log.contains("n1 ERROR taking hierarchy \"" + TAG + "\" out of service on n1 at once: this server no"
                + " longer sees a majority of the 3 servers"), log);
        List<SimWorld.Event> events = c.world.events();
        long n1Stopped = events.stream().filter(e -> e.server().equals("n1") && e.action().equals("remove"))
                .mapToLong(SimWorld.Event::atMillis).max().orElseThrow();
        long n2Started = events.stream().filter(e -> e.server().equals("n2") && e.action().equals("restore"))
                .mapToLong(SimWorld.Event::atMillis).min().orElseThrow();
        assertTrue(n1Stopped < n2Started, "n1 stopped at " + n1Stopped + " ms, n2 started at " + n2Started + " ms");
    }

    @Test
    void aRestoreRequestedOnTheBackupSwitchesTheHierarchyOverTopDownThenBottomUp() {
        HttpResponse<String> r = restoreOn(1);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"succeeded\":true"), r.body());
        c.awaitOnlyOn("n2");
        assertTrue(c.mainLog().contains("switching " + TAG + " over to n2 on operator request"), c.mainLog());
    }

    @Test
    void whenTheTargetOfASwitchoverDiesTheHierarchyComesBackToTheOldOwner() throws Exception {
        c.world.slowRestores("n2", Duration.ofSeconds(3));
        CompletableFuture<HttpResponse<String>> request = CompletableFuture.supplyAsync(() -> restoreOn(1));
        TestSupport.await("n2 restoring", SimCluster.FAILOVER, () -> c.count("n2", "restore") > 0);
        c.powerOff(1);
        c.awaitOnlyOn("n1");
        request.handle((r, e) -> r); // its answer (an error or nothing: n2 died) does not matter here
        assertTrue(c.mainLog().contains("failing over " + TAG + " to n1: n2 down"), c.mainLog());
    }

    @Test
    void whenLocalRecoveryIsExhaustedTheHierarchyFailsOver() {
        c.world.breakResource("n1", "fs-/share");
        c.awaitOnlyOn("n2");
        assertTrue(c.mainLog().contains("failing over " + TAG + " to n2: n1 failed"),
                () -> c.mainLog() + "\nthe simulated world's events: " + c.world.events());
    }

    @Test
    void anOwnerHeldUpPastItsGuardTimeoutIsFencedThenRecoversLocallyOnceItProvesItsQuorumAgain() throws Exception {
        // n1's placement stops for 2.5 s (four times guard-timeout) inside a guard feed: the guard fences
        // the hierarchy, n1's checks find it gone while n1 still cannot prove its quorum, and its local
        // recovery waits for the next proof instead of giving the hierarchy up (its quorum never went away).
        assertTrue(c.world.guarded("n1", TAG), "n1's guard is armed while n1 runs the hierarchy");
        c.world.stallNextFeed("n1", Duration.ofMillis(2500));
        TestSupport.await("n1 fenced by its guard", SimCluster.FAILOVER, () -> c.world.events().stream()
                .anyMatch(e -> e.server().equals("n1") && e.action().startsWith("fence")),
                () -> c.mainLog() + "\n" + c.world.events());
        TestSupport.await("back in service on n1", SimCluster.FAILOVER, () -> c.world.fullyOn("n1", TAG)
                && c.world.runningOn(TAG).equals(Set.of("n1")), () -> c.mainLog() + "\n" + c.world.events());
        Thread.sleep(2000);
        assertEquals(Set.of("n1"), c.world.runningOn(TAG), "stays on n1");
        assertEquals(0, c.count("n2", "restore"), () -> "never started on n2: " + c.world.events());
        String log = c.mainLog();
        assertTrue(log.contains("n1 WARN  hierarchy \"" + TAG + "\" on \"n1\": starting resource \"")
                && log.contains("\" waits up to 5 s for a fresh proof of its right to run it: this server's right to run it"
                + " (quorum or disk lease) was last proven "), log);
    }

    @Test
    void lkstopDashNOnTheOwnerSwitchesOverBeforeTheDaemonStops() throws Exception {
        int code = c.daemons[0].stop(ShutdownMode.SWITCHOVER).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertEquals(0, code);
        c.daemons[0] = null;
        assertTrue(c.world.fullyOn("n2", TAG), "in service on n2 by the time lkstop -n returns: " + c.world.runningOn(TAG));
        c.awaitOnlyOn("n2");
    }

    @Test
    void lkstopWithTheDefaultStrategyTakesItOutOfServiceAndNobodyTakesItOver() throws Exception {
        c.daemons[0].stop(ShutdownMode.REMOVE).toCompletableFuture().get(60, TimeUnit.SECONDS);
        c.daemons[0] = null;
        Thread.sleep(4000);
        assertEquals(Set.of(), c.world.runningOn(TAG));
        assertTrue(TestSupport.status(c.daemons[1].system()).placement(TAG).orElseThrow().reason()
                .startsWith(TAG + " stays out of service: n1 was stopped"), c.mainLog());
    }

    @Test
    void lkstopDashFLeavesItRunningAndTheNextStartAdoptsIt() throws Exception {
        c.daemons[0].stop(ShutdownMode.LEAVE_RUNNING).toCompletableFuture().get(60, TimeUnit.SECONDS);
        c.daemons[0] = null;
        Thread.sleep(4000);
        assertEquals(Set.of("n1"), c.world.runningOn(TAG), "left running, not taken over");
        long restoresBefore = c.world.events().stream().filter(e -> e.action().equals("restore")).count();
        c.start(0);
        TestSupport.await("adopted on n1", SimCluster.SETTLE, () -> c.mainLog().contains("n1 INFO  hierarchy \"" + TAG
                + "\" adopted on \"n1\""), () -> TestSupport.tail(c.mainLog(), 80));
        Thread.sleep(2000);
        assertEquals(restoresBefore, c.world.events().stream().filter(e -> e.action().equals("restore")).count(),
                "nothing restored again");
        assertEquals(Set.of("n1"), c.world.runningOn(TAG));
    }

    @Test
    void afterAFailoverTheHierarchyStaysOnTheBackupWhenTheOwnerComesBack() throws Exception {
        c.powerOff(0);
        c.awaitOnlyOn("n2");
        c.start(0);
        TestSupport.await("n1 back, deciding to leave it on n2", SimCluster.SETTLE, () -> TestSupport.status(
                c.daemons[0].system()).placement(TAG).map(p -> p.reason()).orElse("").equals(TAG
                + " stays on n2 (intelligent switchback)"));
        Thread.sleep(2000);
        assertEquals(Set.of("n2"), c.world.runningOn(TAG));
    }

    private HttpResponse<String> maintenance(int n, String mode) {
        return TestSupport.http("POST", c.adminPorts.get(n), "/v1/hierarchies/" + TAG.replace("/", "%2F")
                + "/maintenance", "token-n" + (n + 1), "{\"maintenance\":\"" + mode + "\"}");
    }

    @Test
    void inMaintenanceModeAFailureIsLeftAloneUntilMaintenanceEnds() throws Exception {
        HttpResponse<String> on = maintenance(1, "on");
        assertEquals(200, on.statusCode(), on.body());
        assertEquals("{\"message\":\"hierarchy \\\"" + TAG + "\\\" is in maintenance mode\"}", on.body());
        TestSupport.await("n1 knows", SimCluster.SETTLE, () -> maintenanceShownBy(0));
        Thread.sleep(500);
        c.world.breakResource("n1", "fs-/share");
        Thread.sleep(4000);
        assertEquals(0, c.count("n1", "recover") + c.count("n1", "remove") + c.count("n2", "restore"),
                "no recovery, no failover in maintenance mode: " + c.world.events());
        assertTrue(c.mainLog().contains("n1 WARN  hierarchy \"" + TAG + "\" is in maintenance mode: checks, local"
                + " recovery and failover suspended"), c.mainLog());
        assertEquals(200, maintenance(0, "off").statusCode());
        c.awaitOnlyOn("n2");
        assertTrue(c.count("n1", "recover") > 0, "health checked again when maintenance ended");
    }

    /** Maintenance mode as the status of server {@code n} shows it (false when it shows no placement). */
    private boolean maintenanceShownBy(int n) {
        return TestSupport.status(c.daemons[n].system()).placement(TAG).map(p -> p.maintenance()).orElse(false);
    }

    @Test
    void leavingMaintenanceModeNeverRestartsAHealthyHierarchy() throws Exception {
        assertEquals(200, maintenance(0, "on").statusCode());
        TestSupport.await("the witness n3, which does not run the hierarchy, shows maintenance mode", SimCluster.SETTLE,
                () -> maintenanceShownBy(2));
        Thread.sleep(2000);
        assertEquals(200, maintenance(0, "off").statusCode());
        TestSupport.await("the witness shows maintenance mode over", SimCluster.SETTLE, () -> !maintenanceShownBy(2));
        Thread.sleep(3000);
        assertEquals(Set.of("n1"), c.world.runningOn(TAG));
        assertEquals(1, c.count("n1", "restore") / 3, "only the first restore of its three resources");
        assertEquals(0, c.count("n1", "remove") + c.count("n1", "recover"));
    }

    @Test
    void maintenanceRequestsWithABadBodyOrAnUnknownTagAreRefusedAndChangeNothing() {
        HttpResponse<String> bad = maintenance(0, "later");
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("for field \\\"maintenance\\\""), bad.body());
        HttpResponse<String> unknown = TestSupport.http("POST", c.adminPorts.get(0), "/v1/hierarchies/pg/maintenance",
                "token-n1", "{\"maintenance\":\"on\"}");
        assertEquals(404, unknown.statusCode(), unknown.body());
        HttpResponse<String> witness = TestSupport.http("POST", c.adminPorts.get(2), "/v1/hierarchies/" + TAG.replace("/",
                "%2F") + "/maintenance", "token-n3", "{\"maintenance\":\"on\"}");
        assertEquals(409, witness.statusCode(), witness.body());
        assertTrue(!TestSupport.status(c.daemons[0].system()).placement(TAG).orElseThrow().maintenance());
    }
}
