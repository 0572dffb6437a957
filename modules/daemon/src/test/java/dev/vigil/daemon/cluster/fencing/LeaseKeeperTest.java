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
}
