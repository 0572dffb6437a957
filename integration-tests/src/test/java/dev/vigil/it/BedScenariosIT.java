package dev.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.it.bed.Bed;
import dev.vigil.it.bed.BedConfig;
import dev.vigil.it.bed.Machine;
import dev.vigil.it.bed.ScenarioRun;
import dev.vigil.it.bed.Watcher;
import dev.vigil.kits.TestHost;
import dev.vigil.kits.postgresql.PgInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scenarios of the namespace bed (docs/testbed.md) that one server handles alone: servers n1
 * and n2 run the packaged daemons, the hierarchy of the manual (virtual IP + ext4 on the shared
 * loop device + PostgreSQL 15) is in service on n1, a client in c1 commits through the virtual IP
 * every 10 ms, and the watcher samples both servers every 50 ms. Each scenario asserts its
 * outcome, the outage the client saw, zero lost acknowledged commits and zero double-active
 * samples. The scenarios that need a failover are in {@link BedFailoverIT}.
 */
class BedScenariosIT extends BedScenarioBase {
    /** Bound on the outage of a local recovery in a test on a loaded CI machine; the benchmark measures the real figure. */
    private static final Duration LOCAL_RECOVERY_BOUND = Duration.ofSeconds(10);
    /** Bound on an outage that includes an operator's restart of the service (a daemon start on a loaded machine). */
    private static final Duration RESTART_BOUND = Duration.ofMinutes(3);
    /** Bound on the client's largest gap where nothing may interrupt the service. */
    private static final Duration NO_OUTAGE_BOUND = Duration.ofSeconds(3);

    @Test
    void postmasterKilledIsRestartedOnTheSameServerWithoutLosingACommit() throws Exception {
        begin(BedConfig.twoServers());
        long postmaster = bed().postmaster(N1);
        run.fault(() -> TestHost.kill(postmaster));
        run.awaitWritesBack(BACK);
        bed().awaitLogSince(N1, MAIN_LOG, mark, "recover: local recovery of resource \"" + BedConfig.TAG + "\"", BACK);
        finish(LOCAL_RECOVERY_BOUND);
        assertTrue(bed().machine(N1).postmasters().size() == 1 && bed().postmaster(N1) != postmaster, "a new postmaster on n1");
        assertTrue(bed().machine(N2).postmasters().isEmpty(), "nothing started on n2");
    }

    @Test
    void postgresqlStoppedBehindVigilsBackIsStartedAgain() throws Exception {
        begin(BedConfig.twoServers());
        long postmaster = bed().postmaster(N1);
        run.fault(() -> bed().machine(N1).sh("runuser", "-u", "postgres", "--", PgInstance.BIN + "/pg_ctl", "-D",
                bed().dataDir().toString(), "-m", "fast", "-w", "stop"));
        run.awaitWritesBack(BACK);
        bed().awaitLogSince(N1, MAIN_LOG, mark, "recover: local recovery of resource \"" + BedConfig.TAG + "\"", BACK);
        finish(LOCAL_RECOVERY_BOUND);
        assertTrue(bed().postmaster(N1) != postmaster, "PostgreSQL runs again on n1, a new postmaster");
        assertTrue(bed().machine(N2).postmasters().isEmpty(), "nothing started on n2");
    }

    @Test
    void daemonStoppedWithForceAndStartedAgainAdoptsTheRunningServiceWithoutAnOutage() throws Exception {
        begin(BedConfig.twoServers());
        long postmaster = bed().postmaster(N1);
        run.fault(() -> {
            var stop = bed().run(N1, "lkstop", "-f");
            assertEquals(0, stop.exitCode(), stop.output());
        });
        assertEquals(postmaster, bed().postmaster(N1), "lkstop -f leaves PostgreSQL running");
        assertTrue(bed().machine(N1).hasAddress(BedConfig.VIP) && bed().machine(N1).hasMount(bed().mountPoint()));
        Instant stopped = Instant.now();
        run.client().awaitCommitsAfter(stopped, 50, BACK);

        var start = bed().run(N1, "lkstart");
        assertEquals(0, start.exitCode(), start.output());
        bed().awaitLogSince(N1, MAIN_LOG, mark, "hierarchy \"" + BedConfig.TAG + "\" adopted on \"n1\"", BACK);
        bed().awaitStatus(N1, BACK, s -> Bed.inService(s, N1));
        run.client().awaitCommitsAfter(Instant.now(), 20, BACK);
        finish(NO_OUTAGE_BOUND);
        assertEquals(postmaster, bed().postmaster(N1), "nothing was restarted");
        assertTrue(run.client().largestGap().compareTo(NO_OUTAGE_BOUND) <= 0, "largest gap between commits "
                + run.client().largestGap().toMillis() + " ms");
        String log = bed().logSince(N1, MAIN_LOG, mark);
        assertFalse(log.contains("RECOVERY class="), "no recovery ran:\n" + log);
    }

    @Test
    void oneOfTwoCommPathsCutIsLoggedAndShownDeadWithoutAFailover() throws Exception {
        begin(BedConfig.twoServers());
        long postmaster = bed().postmaster(N1);
        long lcm1 = bed().logEnd(N1, "lcm.log");
        long lcm2 = bed().logEnd(N2, "lcm.log");
        run.fault(() -> bed().cable(N1, "eth1", false));
        bed().awaitLogSince(N1, "lcm.log", lcm1, "COMMUNICATION TO n2 BY 10.201.0.1/10.201.0.2 FAILED AT", BACK);
        bed().awaitLogSince(N2, "lcm.log", lcm2, "COMMUNICATION TO n1 BY 10.201.0.2/10.201.0.1 FAILED AT", BACK);
        String status = bed().awaitStatus(N1, BACK, s -> s.lines().anyMatch(l -> l.matches("n2\\s+UDP\\s+\\S+\\s+DEAD.*")));
        System.out.println("lcdstatus -q on n1 with the second comm path cut:\n" + status);
        assertTrue(status.lines().anyMatch(l -> l.matches("n2\\s+TCP\\s+\\S+\\s+ALIVE.*")), status);
        Thread.sleep(3000);
        run.client().awaitCommitsAfter(Instant.now(), 20, BACK);
        finish(NO_OUTAGE_BOUND);
        assertEquals(postmaster, bed().postmaster(N1), "no failover, nothing restarted");
        assertTrue(bed().machine(N2).postmasters().isEmpty());
        assertTrue(run.client().largestGap().compareTo(NO_OUTAGE_BOUND) <= 0, "largest gap "
                + run.client().largestGap().toMillis() + " ms");
    }

    @Test
    void healthCheckRejectedByPgHbaIsReportedAsMisconfiguredWithoutAFailoverLoop() throws Exception {
        begin(BedConfig.twoServers());
        Path hba = bed().dataDir().resolve("pg_hba.conf");
        run.fault(() -> {
            bed().machine(N1).sh("sh", "-c", "{ echo 'host all all 127.0.0.1/32 reject'; cat '" + hba + "'; } > '" + hba
                    + ".new' && mv '" + hba + ".new' '" + hba + "' && chown postgres:postgres '" + hba + "'");
            bed().machine(N1).sh("runuser", "-u", "postgres", "--", PgInstance.BIN + "/pg_ctl", "-D",
                    bed().dataDir().toString(), "reload");
        });
        String log = bed().awaitLogSince(N1, MAIN_LOG, mark, "recover: no local recovery of resource \"" + BedConfig.TAG
                + "\"", BACK);
        System.out.println("n1's main log after pg_hba.conf rejected the check:\n" + log);
        assertTrue(log.contains("(MISCONFIGURED): PostgreSQL rejected the health check"), log);
        Thread.sleep(5000);
        String later = bed().logSince(N1, MAIN_LOG, mark);
        long recoveries = later.lines().filter(l -> l.contains("RECOVERY class=")).count();
        assertTrue(recoveries <= 1, "one recovery, no loop:\n" + later);
        assertTrue(bed().machine(N2).postmasters().isEmpty(), "no failover to n2");
        assertFalse(bed().machine(N2).hasAddress(BedConfig.VIP) || bed().machine(N2).hasMount(bed().mountPoint()));
        bringBackOnN1AfterRepair();
        finish(RESTART_BOUND);
    }

    @Test
    void orderlyStopOfTheActiveServerWithDoNotSwitchoverTakesTheServiceOutOfServiceOnly() throws Exception {
        begin(BedConfig.twoServers());
        run.fault(() -> {
            var stop = bed().run(N1, "lkstop");
            assertEquals(0, stop.exitCode(), stop.output());
        });
        assertTrue(bed().machine(N1).postmasters().isEmpty(), "PostgreSQL stopped on n1");
        assertFalse(bed().machine(N1).hasAddress(BedConfig.VIP) || bed().machine(N1).hasMount(bed().mountPoint()),
                "address and filesystem removed on n1");
        Thread.sleep(5000);
        for (String server : List.of(N1, N2)) {
            assertTrue(bed().machine(server).postmasters().isEmpty(), "do-not-switchover: nothing runs on " + server);
        }
        assertFalse(bed().machine(N2).hasAddress(BedConfig.VIP), "the address stays down");
        var start = bed().run(N1, "lkstart");
        assertEquals(0, start.exitCode(), start.output());
        bed().awaitStatus(N1, BACK, s -> Bed.inService(s, N1));
        run.awaitWritesBack(BACK);
        finish(RESTART_BOUND);
    }

    @Test
    void watcherReportsTheAddressAndTheFilesystemActiveOnTwoServers() throws Exception {
        startCluster(BedConfig.twoServers());
        Machine n2 = bed().machine(N2);
        try (Watcher watcher = new Watcher(bed().servers(), bed().mountPoint())) {
            Thread.sleep(300);
            assertTrue(watcher.violations().isEmpty(), "in service on n1 only: " + watcher.violations());
            n2.sh("ip", "addr", "add", BedConfig.VIP + "/24", "dev", "eth0");
            n2.sh("mount", bed().diskDevice(N2), bed().mountPoint().toString());
            String ip = "virtual IP " + BedConfig.VIP + " active on n1 and n2";
            String fs = "filesystem " + bed().mountPoint() + " active on n1 and n2";
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String seen = "";
            while (!(seen.contains(ip) && seen.contains(fs)) && System.nanoTime() < until) {
                Thread.sleep(50);
                seen = String.join("\n", watcher.violations());
            }
            assertTrue(seen.contains(ip), seen);
            assertTrue(seen.contains(fs), seen);
            assertFalse(seen.contains("postmaster"), seen);
        } finally {
            n2.quietly("umount", bed().mountPoint().toString());
            n2.quietly("ip", "addr", "del", BedConfig.VIP + "/24", "dev", "eth0");
        }
        assertFalse(n2.hasAddress(BedConfig.VIP) || n2.hasMount(bed().mountPoint()), "n2 cleaned up");
    }

    /** After a scenario that left the hierarchy out of service on n1: the disk as initdb left it, restored on n1. */
    private void bringBackOnN1AfterRepair() throws Exception {
        Instant deadline = Instant.now().plus(BACK);
        while (bed().machine(N1).hasMount(bed().mountPoint()) || !bed().machine(N1).postmasters().isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("n1 did not take the hierarchy out of service");
            }
            Thread.sleep(100);
        }
        bed().repairDisk();
        var restore = bed().run(N1, "perform_action", "-t", BedConfig.TAG, "-a", "restore");
        assertEquals(0, restore.exitCode(), restore.output());
        run.awaitWritesBack(BACK);
    }
}
