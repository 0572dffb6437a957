package dev.vigil.daemon.sim;

import static dev.vigil.daemon.sim.SimCluster.TAG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.LogType;
import dev.vigil.daemon.TestSupport;
import dev.vigil.kits.TestHost;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Failure simulations around the edges of failure detection and the tie-breakers: a second comm
 * path that keeps a server ALIVE (one path down, a flapping link: no failover), automatic
 * switchback, and a two-server cluster split in two with the disk lease on a real loop device.
 * Same in-memory kits, guards and invariant checker as {@link FailoverSimulationTest}.
 */
class RedundancySimulationTest {

    private static String secondPath() {
        return TestSupport.commPaths("lan2", TestSupport.freeUdpPorts(3, java.util.List.of()));
    }

    @Test
    void oneOfTwoCommPathsDownIsAWarningAndNoFailover() throws Exception {
        try (SimCluster c = new SimCluster(3, "intelligent", secondPath())) {
            c.cut(0, 1, true);
            c.cut(0, 2, true);
            TestSupport.await("the cluster path from n2 to n1 DEAD in the LCM log", SimCluster.FAILOVER, () ->
                    TestSupport.read(c.dir.resolve("logs").resolve(LogType.LCM.fileName()))
                            .contains("n2 WARN  COMMUNICATION TO n1 BY 127.0.0.1:" + c.clusterPorts.get(1)));
            Thread.sleep(5000);
            assertEquals(Set.of("n1"), c.world.runningOn(TAG));
            assertEquals(0, c.count("n1", "remove"), "n1 never stopped it");
            assertEquals(0, c.count("n2", "restore"), "n2 never started it");
        }
    }

    @Test
    void aFlappingClusterConnectionCausesNoFailoverStorm() throws Exception {
        try (SimCluster c = new SimCluster(3, "intelligent", secondPath())) {
            for (int i = 0; i < 5; i++) {
                c.cut(0, 1, true);
                c.cut(0, 2, true);
                Thread.sleep(900);
                c.cut(0, 1, false);
                c.cut(0, 2, false);
                Thread.sleep(600);
            }
            Thread.sleep(3000);
            assertEquals(Set.of("n1"), c.world.runningOn(TAG));
            assertEquals(0, c.count("n1", "remove") + c.count("n2", "restore"), c.world.events().toString());
        }
    }

    @Test
    void aGuardThatRefusesToArmIsAskedAgainEveryFewSecondsAndGuardsOnceItAccepts() throws Exception {
        try (SimCluster c = new SimCluster(3, "intelligent", "", world -> world.refuseArms("n1", true))) {
            assertFalse(c.world.guarded("n1", TAG), "n1 runs it, but its guard refused to arm");
            int before = c.world.armRequests("n1");
            Thread.sleep(6000);
            int asked = c.world.armRequests("n1") - before;
            assertTrue(asked >= 1 && asked <= 2, asked + " requests to arm in 6 s (one every 5 s, not one a round)");
            c.world.refuseArms("n1", false);
            TestSupport.await("n1's guard armed once it accepts", Duration.ofSeconds(10), () -> c.world.guarded("n1", TAG));
            assertEquals(Set.of("n1"), c.world.runningOn(TAG));
        }
    }

    @Test
    void withAutomaticSwitchbackTheHierarchyReturnsWhenTheOwnerRejoins() throws Exception {
        try (SimCluster c = new SimCluster(3, "automatic", "")) {
            c.powerOff(0);
            c.awaitOnlyOn("n2");
            c.start(0);
            c.awaitOnlyOn("n1");
            assertTrue(c.mainLog().contains("moving " + TAG + " back to n1 (automatic switchback)"), c.mainLog());
        }
    }

    @Test
    void twoServersSplitInTwoKeepItWhereTheDiskLeaseIsAndFailOverOnlyWhenTheHolderIsGone() throws Exception {
        TestHost.require("the two-server disk lease simulation (a loop device)", "losetup");
        Path image = Files.createTempFile("vigil-lease", ".img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(8L << 20);
        }
        String device = TestHost.sh("losetup", "-f", "--show", image.toString()).trim();
        try (SimCluster c = new SimCluster(2, "intelligent", "fencing.lease-device = \"" + device + "\"")) {
            c.cut(0, 1, true);
            TestSupport.await("n2 sees that n1 holds the lease", SimCluster.FAILOVER, () -> c.mainLog().contains(
                    "n2 WARN  disk lease of hierarchy \"" + TAG + "\" not held by n2: lease \"" + TAG + "\" is held by n1"));
            Thread.sleep(3000);
            assertEquals(Set.of("n1"), c.world.runningOn(TAG), "the lease holder keeps it; the other side waits");
            c.cut(0, 1, false);
            long crashed = System.nanoTime();
            c.powerOff(0);
            c.awaitOnlyOn("n2");
            System.out.println("two servers with a disk lease: power-off of n1 -> in service on n2 after "
                    + (System.nanoTime() - crashed) / 1_000_000 + " ms");
        } finally {
            TestHost.quietly("losetup", "-d", device);
            Files.deleteIfExists(image);
        }
    }
}
