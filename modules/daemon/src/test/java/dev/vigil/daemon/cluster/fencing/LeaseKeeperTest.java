package dev.vigil.daemon.cluster.fencing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.config.LeaseTimings;
import dev.vigil.daemon.TestSupport;
import dev.vigil.kits.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two servers' lease keepers on one real loop device, at the default lease clocks: the holder's
 * successor takes the lease right at the holder's expiry (never before it), a slot left HELD by a
 * previous run is no holder that stopped, a server that is no successor only observes the expiry,
 * and a lease taken as successor that the placement never wants is let go again.
 */
class LeaseKeeperTest {
    private static final LeaseTimings T = LeaseTimings.DEFAULTS;
    private static final String TAG = "pg";

    private Path image;
    private String device;
    private final List<LeaseKeeper> keepers = new ArrayList<>();
    private final LinkedBlockingQueue<LeaseKeeper.Event> n1Events = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<LeaseKeeper.Event> n2Events = new LinkedBlockingQueue<>();

    @BeforeEach
    void loopDevice() throws Exception {
        TestHost.require("the lease keeper test (a loop device)", "losetup");
        image = Files.createTempFile("vigil-lease-keeper", ".img");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(8L << 20);
        }
        device = TestHost.sh("losetup", "-f", "--show", image.toString()).trim();
    }

    @AfterEach
    void cleanUp() throws Exception {
        keepers.forEach(LeaseKeeper::close);
        if (device != null) {
            TestHost.quietly("losetup", "-d", device);
        }
        if (image != null) {
            Files.deleteIfExists(image);
        }
    }

    private LeaseKeeper keeper(String server, int index, int priority, LinkedBlockingQueue<LeaseKeeper.Event> events) {
        LeaseKeeper k = new LeaseKeeper(Path.of(device), "test", server, index, TAG, priority, T, new NoFencing(),
                new Ownership(), events::add);
        keepers.add(k);
        return k;
    }

    /** n1 holds the lease (formatting the blank device first); returns n1's keeper. */
    private LeaseKeeper n1Holding() throws InterruptedException {
        LeaseKeeper n1 = keeper("n1", 0, 1, n1Events);
        n1.want(true);
        assertInstanceOf(LeaseKeeper.Acquired.class, n1Events.poll(10, TimeUnit.SECONDS));
        return n1;
    }

    /** The holder stops renewing, as a powered-off server does (its keeper's thread ends, nothing released). */
    private long powerOff(LeaseKeeper holder) {
        holder.close();
        return System.nanoTime();
    }

    /** n1 holds, n2 (its successor) sees it renew, n1 powers off: n2 acquires; returns n2's keeper. */
    private LeaseKeeper successorTookOver() throws InterruptedException {
        LeaseKeeper n1 = n1Holding();
        LeaseKeeper n2 = keeper("n2", 1, 10, n2Events);
        n2.successorOf(Optional.of("n1"));
        Thread.sleep(500); // n2 sees n1 renew
        powerOff(n1);
        assertInstanceOf(LeaseKeeper.Acquired.class, n2Events.poll(5, TimeUnit.SECONDS));
        return n2;
    }

    @Test
    void theSuccessorTakesTheLeaseAtTheHoldersExpiryAndNotBefore() throws Exception {
        LeaseKeeper n1 = n1Holding();
        LeaseKeeper n2 = keeper("n2", 1, 10, n2Events);
        n2.successorOf(Optional.of("n1"));
        Thread.sleep(500);
        assertNull(n2Events.poll(), "nothing happens while the holder renews");
        assertFalse(n2.holds());

        long off = powerOff(n1);
        LeaseKeeper.Event e = n2Events.poll(5, TimeUnit.SECONDS);
        long took = (System.nanoTime() - off) / 1_000_000;
        assertInstanceOf(LeaseKeeper.Acquired.class, e, String.valueOf(e));
        assertTrue(took >= T.leaseTimeout().toMillis() - T.renewInterval().toMillis(),
                "taken " + took + " ms after the holder's last renewal: before its lease could expire");
        assertTrue(n2.holds());
        assertEquals(Set.of("n1"), n2.expiredHolders());
        System.out.printf("successor took the lease %d ms after the holder stopped (lease-timeout %d ms)%n", took,
                T.leaseTimeout().toMillis());
    }

    @Test
    void aSlotLeftHeldByAPreviousRunIsNoHolderThatStopped() throws Exception {
        LeaseKeeper old = n1Holding();
        powerOff(old);
        // n1 was powered off while holding; n2 starts later and sees n1's slot HELD, never changing:
        // n1 may be just starting again, and its next acquisition overwrites the slot.
        LeaseKeeper n2 = keeper("n2", 1, 10, n2Events);
        n2.successorOf(Optional.of("n1"));
        Thread.sleep(T.leaseTimeout().toMillis() * 3);
        assertFalse(n2.holds(), "no takeover from a slot never seen renewing");
        assertNull(n2Events.poll());
        assertEquals(Set.of(), n2.expiredHolders());
    }

    @Test
    void aServerThatIsNoSuccessorOnlyObservesTheExpiry() throws Exception {
        LeaseKeeper n1 = n1Holding();
        LeaseKeeper n2 = keeper("n2", 1, 10, n2Events);
        Thread.sleep(500); // n2 sees n1 renew
        powerOff(n1);
        TestSupport.await("n2 sees n1's lease expired", Duration.ofSeconds(5), () -> n2.expiredHolders().contains("n1"));
        Thread.sleep(T.acquireWait().toMillis() * 3);
        assertFalse(n2.holds());
        assertNull(n2Events.poll());
    }

    @Test
    void aLeaseTakenAsSuccessorThatThePlacementNeverWantsIsLetGo() throws Exception {
        LeaseKeeper n2 = successorTookOver();
        n2.successorOf(Optional.empty());
        TestSupport.await("n2 lets the unwanted lease go", Duration.ofMillis(LeaseKeeper.PRE_ACQUIRED_GRACE_MILLIS + 3000),
                () -> !n2.holds());

        LeaseKeeper n3 = keeper("n3", 2, 20, new LinkedBlockingQueue<>());
        n3.want(true);
        TestSupport.await("another server can take it now", Duration.ofSeconds(10), n3::holds);
    }

    @Test
    void aWantedLeaseTakenAsSuccessorIsKept() throws Exception {
        LeaseKeeper n2 = successorTookOver();
        n2.want(true);
        Thread.sleep(LeaseKeeper.PRE_ACQUIRED_GRACE_MILLIS + 1000);
        assertTrue(n2.holds(), "kept and renewed once wanted");
        assertNull(n2Events.poll(), "no loss");
    }

    /**
     * A holder whose lease device stops answering (its writes hang: the file system that holds the
     * loop device's backing file is frozen) gives the lease up at renew-timeout after its last
     * renewal, while the renewal is still stuck: the watchdog reports it, not the I/O.
     */
    @Test
    void aHolderWhoseLeaseDeviceHangsGivesTheLeaseUpAtRenewTimeout() throws Exception {
        TestHost.require("the hung lease device test", "losetup", "mkfs.ext4", "fsfreeze", "mount", "umount");
        Path dir = Files.createTempDirectory("vigil-hung-lease");
        Path outerImage = dir.resolve("outer.img");
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(outerImage.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        String outer = TestHost.sh("losetup", "-f", "--show", outerImage.toString()).trim();
        String inner = null;
        boolean mounted = false;
        boolean frozen = false;
        try {
            TestHost.sh("mkfs.ext4", "-q", "-F", outer);
            TestHost.sh("mount", outer, mnt.toString());
            mounted = true;
            Path innerImage = mnt.resolve("lease.img");
            try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(innerImage.toFile(), "rw")) {
                f.setLength(8L << 20);
            }
            inner = TestHost.sh("losetup", "-f", "--show", innerImage.toString()).trim();
            LeaseKeeper n1 = new LeaseKeeper(Path.of(inner), "test", "n1", 0, TAG, 1, T, new NoFencing(),
                    new Ownership(), n1Events::add);
            keepers.add(n1);
            n1.want(true);
            assertInstanceOf(LeaseKeeper.Acquired.class, n1Events.poll(10, TimeUnit.SECONDS));
            Thread.sleep(300);
            assertTrue(n1.holds());

            TestHost.sh("fsfreeze", "-f", mnt.toString());
            frozen = true;
            long froze = System.nanoTime();
            LeaseKeeper.Event e = n1Events.poll(5, TimeUnit.SECONDS);
            long took = (System.nanoTime() - froze) / 1_000_000;
            LeaseKeeper.Lost lost = assertInstanceOf(LeaseKeeper.Lost.class, e, String.valueOf(e));
            assertTrue(lost.reason().contains("the lease device " + inner + " has not answered for "), lost.reason());
            assertFalse(n1.holds());
            // The last renewal started before the freeze: the loss is due at most renew-timeout later.
            assertTrue(took <= T.renewTimeout().toMillis() + 150, "lost " + took + " ms after the freeze: " + lost.reason());
            System.out.printf("hung lease device: lease given up %d ms after the freeze (renew-timeout %d ms): %s%n",
                    took, T.renewTimeout().toMillis(), lost.reason());

            TestHost.sh("fsfreeze", "-u", mnt.toString());
            frozen = false;
            Thread.sleep(T.renewTimeout().toMillis());
            assertNull(n1Events.poll(), "the renewal that completes late reports nothing more");
            assertFalse(n1.holds());
        } finally {
            if (frozen) {
                TestHost.quietly("fsfreeze", "-u", mnt.toString());
            }
            keepers.forEach(LeaseKeeper::close);
            keepers.clear();
            if (inner != null) {
                TestHost.quietly("losetup", "-d", inner);
            }
            if (mounted) {
                TestHost.quietly("umount", mnt.toString());
            }
            TestHost.quietly("losetup", "-d", outer);
            Files.deleteIfExists(mnt.resolve("lease.img"));
            Files.deleteIfExists(mnt);
            Files.deleteIfExists(outerImage);
            Files.deleteIfExists(dir);
        }
    }
}
