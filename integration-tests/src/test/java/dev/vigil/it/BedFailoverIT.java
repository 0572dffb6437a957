package dev.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.it.bed.Bed;
import dev.vigil.it.bed.BedConfig;
import dev.vigil.it.bed.Machine;
import dev.vigil.kits.TestHost;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scenarios of the namespace bed (docs/testbed.md) that need the cluster to move the hierarchy
 * from one server to another (cluster failover, issue 4: placement decisions, disk lease and
 * fencing guard, quorum). Every one asserts: the service back on exactly one server, the outage
 * the client saw, zero lost acknowledged commits, zero double-active samples.
 */
class BedFailoverIT extends BedScenarioBase {
    /** The product's targets are 2 s median / 3 s worst (issue 5); a test on a loaded CI machine gets more room. */
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(20);

    /** Two servers and the witness n3, so that the survivor of a failure has a majority. */
    private static BedConfig withWitness() {
        return BedConfig.twoServers().withWitness();
    }

    /** The hierarchy in service on {@code server} only: lcdstatus there says ISP, nothing of it runs anywhere else. */
    private static void assertInServiceOnlyOn(String server) throws Exception {
        Bed bed = bed();
        bed.awaitStatus(server, BACK, s -> Bed.inService(s, server));
        assertEquals(1, bed.machine(server).postmasters().size(), "one postmaster on " + server);
        for (Machine m : bed.servers()) {
            if (!m.name.equals(server) && m.running()) {
                assertTrue(m.postmasters().isEmpty() && !m.hasAddress(BedConfig.VIP) && !m.hasMount(bed.mountPoint()),
                        "nothing of the hierarchy on " + m.name);
            }
        }
    }

    @Test
    void powerOffOfTheActiveServerMovesTheServiceToTheBackup() throws Exception {
        begin(withWitness());
        run.fault(() -> bed().powerOff(N1));
        run.awaitWritesBack(BACK);
        assertInServiceOnlyOn(N2);
        finish(FAILOVER_BOUND);
    }

    @Test
    void lkstopWithSwitchoverMovesTheServiceToTheBackupThenStops() throws Exception {
        begin(withWitness());
        run.fault(() -> {
            var stop = bed().run(N1, "lkstop", "-n");
            assertEquals(0, stop.exitCode(), stop.output());
        });
        run.awaitWritesBack(BACK);
        assertInServiceOnlyOn(N2);
        finish(FAILOVER_BOUND);
    }

    @Test
    void switchoverByARemoteRestoreOnTheBackupMovesTheService() throws Exception {
        begin(withWitness());
        run.fault(() -> {
            var restore = bed().run(N1, "lcdremexec", "-d", N2, "--", "perform_action", "-t", BedConfig.TAG, "-a", "restore");
            assertEquals(0, restore.exitCode(), restore.output());
        });
        run.awaitWritesBack(BACK);
        assertInServiceOnlyOn(N2);
        finish(FAILOVER_BOUND);
    }

    @Test
    void activeServerCutOffFromBothOthersStopsBeforeTheBackupStarts() throws Exception {
        begin(withWitness());
        run.fault(() -> {
            bed().partition(N1, N2);
            bed().partition(N1, "n3");
        });
        run.awaitWritesBack(BACK);
        assertInServiceOnlyOn(N2);
        finish(FAILOVER_BOUND);
    }

    @Test
    void partitionOfTwoServersWithADiskLeaseKeepsTheServiceOnTheLeaseHolder() throws Exception {
        begin(BedConfig.twoServers().extra("vigil.cluster.fencing.lease-device = \"" + bed().leaseDevice() + "\"\n"));
        long postmaster = bed().postmaster(N1);
        run.fault(() -> bed().partition(N1, N2));
        Thread.sleep(10_000);
        run.client().awaitCommitsAfter(java.time.Instant.now(), 20, BACK);
        assertInServiceOnlyOn(N1);
        assertEquals(postmaster, bed().postmaster(N1), "the lease holder kept running");
        finish(FAILOVER_BOUND);
    }

    @Test
    void daemonKilledOnTheActiveServerLeavesTheServiceOnExactlyOneServer() throws Exception {
        begin(withWitness());
        run.fault(() -> bed().signalDaemon(N1, "KILL"));
        endsOnExactlyOneServer();
    }

    @Test
    void daemonFrozenLongerThanItsLeaseThenThawedLeavesTheServiceOnExactlyOneServer() throws Exception {
        begin(withWitness());
        run.fault(() -> bed().signalDaemon(N1, "STOP"));
        Thread.sleep(5000);
        if (bed().daemonRunning(N1)) {
            bed().signalDaemon(N1, "CONT");
        } else {
            System.out.println(name + ": n1's daemon ended while it was frozen (its fencing guard fenced n1)");
        }
        endsOnExactlyOneServer();
    }

    @Test
    void pingListUnreachableFromTheActiveServerIsRecoveredLocallyThenFailedOver() throws Exception {
        begin(withWitness().pingList("10.200.0.3"));
        run.fault(() -> bed().dropPingsTo(N1, "10.200.0.3"));
        bed().awaitLogSince(N1, MAIN_LOG, mark, "Local recovery failed for IP instance ip-" + BedConfig.VIP, BACK);
        run.awaitWritesBack(BACK);
        assertInServiceOnlyOn(N2);
        finish(FAILOVER_BOUND);
    }

    /**
     * The shared disk cannot be opened on the backup (its device node there is /dev/null, as if the
     * disk's path to n2 had failed) when the active server dies: n2 tries once, stands by with the
     * reason (the filesystem OSF, nothing of the hierarchy running, no restore loop); once the disk
     * is back on n2, the operator's restore brings the service back there with nothing lost.
     */
    @Test
    void aBackupThatCannotOpenTheSharedDiskStandsByWithTheReasonUntilTheOperatorRestores() throws Exception {
        begin(withWitness());
        Bed bed = bed();
        String device = bed.diskDevice(N2);
        long mark2 = bed.logEnd(N2, MAIN_LOG);
        bed.machine(N2).sh("mount", "--bind", "/dev/null", device);
        try {
            run.fault(() -> bed.powerOff(N1));
            String failed = bed.awaitLogSince(N2, MAIN_LOG, mark2, "restore of resource \"fs-", BACK);
            assertTrue(failed.contains("failed"), failed);
            Thread.sleep(10_000);
            String log = bed.logSince(N2, MAIN_LOG, mark2);
            long attempts = log.lines().filter(l -> l.contains("restore of resource \"fs-") && l.contains("failed")).count();
            System.out.println(name + ": restore attempts of the filesystem on n2 in 10 s: " + attempts);
            assertTrue(attempts <= 2, "a restore loop: " + attempts + " failed restores\n" + log);
            Machine n2 = bed.machine(N2);
            assertTrue(n2.postmasters().isEmpty() && !n2.hasAddress(BedConfig.VIP) && !n2.hasMount(bed.mountPoint()),
                    "nothing of the hierarchy runs on n2 while its disk cannot be opened");
            String status = bed.run(N2, "lcdstatus").output();
            System.out.println(status);
            assertTrue(status.contains("OSF"), status);
        } finally {
            bed.machine(N2).quietly("umount", device);
        }
        var restore = bed.run(N2, "perform_action", "-t", BedConfig.TAG, "-a", "restore");
        assertEquals(0, restore.exitCode(), restore.output());
        run.awaitWritesBack(BACK);
        assertInServiceOnlyOn(N2);
        finish(Duration.ofMinutes(2));
    }

    /**
     * n1's own path to the shared disk fails while the hierarchy runs there ({@code Bed.cutDiskPath}:
     * real I/O errors on n1's device, the mounted ext4 aborts its journal, PostgreSQL's next WAL
     * write fails), while n2's path works. n1 finds the filesystem's I/O error under PostgreSQL's
     * failure, cannot repair it in place, kills the postmaster at once (no shutdown could write its
     * checkpoint) and the hierarchy fails over, the filesystem named as the reason; n2 mounts the
     * filesystem (replaying its journal) and starts PostgreSQL on it, with every acknowledged commit.
     */
    @Test
    void theActiveServersPathToTheSharedDiskFailsAndTheServiceMovesToTheBackup() throws Exception {
        TestHost.require("a path of its own to the shared disk for each server", "bindfs");
        begin(withWitness().withDiskPaths());
        run.fault(() -> bed().cutDiskPath(N1));
        run.awaitWritesBack(BACK);
        assertInServiceOnlyOn(N2);
        String fs = "fs-" + bed().mountPoint();
        String n1 = bed().awaitLogSince(N1, MAIN_LOG, mark, "failing over " + BedConfig.TAG + " to n2: n1 failed (resource " + fs
                + ": ", BACK);
        assertTrue(n1.contains("quickCheck of resource \"" + fs + "\" on \"n1\" failed, event \"filesys,ioerror\""), n1);
        assertTrue(n1.contains("hierarchy \"" + BedConfig.TAG + "\" is taken out of service on \"n1\": resource \"" + fs
                + "\" failed after event \"filesys,ioerror\""), "the failover names the filesystem, not PostgreSQL:\n" + n1);
        finish(FAILOVER_BOUND);
    }

    /**
     * The hierarchy ends on exactly one server, whichever it is: waits until one server has the
     * address, the mount and a postmaster and keeps them for 5 s (writes may go on for a moment on
     * the old owner before its guard fences it, so resumed writes alone prove nothing); then {@link #finish}.
     */
    private void endsOnExactlyOneServer() throws Exception {
        Bed bed = bed();
        long deadline = System.nanoTime() + BACK.toNanos();
        String owner = null;
        long since = 0;
        while (System.nanoTime() < deadline) {
            List<String> active = bed.servers().stream().filter(m -> !m.postmasters().isEmpty()
                    && m.hasAddress(BedConfig.VIP) && m.hasMount(bed.mountPoint())).map(m -> m.name).toList();
            String now = active.size() == 1 ? active.get(0) : null;
            if (now == null || !now.equals(owner)) {
                owner = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > Duration.ofSeconds(5).toNanos()) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(owner != null, "the hierarchy did not settle on exactly one server within " + BACK.toSeconds() + " s");
        assertInServiceOnlyOn(owner);
        finish(FAILOVER_BOUND);
    }
}
