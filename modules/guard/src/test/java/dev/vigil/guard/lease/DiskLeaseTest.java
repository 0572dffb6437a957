package dev.vigil.guard.lease;

import dev.vigil.core.config.LeaseTimings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.guard.lease.LeaseOutcome.Acquired;
import dev.vigil.guard.lease.LeaseOutcome.Failed;
import dev.vigil.guard.lease.LeaseOutcome.Lost;
import dev.vigil.guard.lease.LeaseOutcome.Observed;
import dev.vigil.guard.lease.LeaseOutcome.Refused;
import dev.vigil.guard.testing.LoopDevice;
import dev.vigil.guard.testing.TestHost;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk lease on a real loop device, two servers sharing it (two instances in this JVM share
 * nothing but the device, like two machines on one LUN), with the default timings.
 */
class DiskLeaseTest {

    private static final LeaseTimings T = LeaseTimings.DEFAULTS;
    private static final String PG = "powergres-/share/data";
    private static final int SLOTS = 4;
    private static final int LEASES = 64;

    @TempDir
    Path dir;
    private LoopDevice loop;
    private final List<DiskLease> leases = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void attachLoopDevice() throws Exception {
        TestHost.require("the disk lease test (a loop device)", "losetup");
        loop = LoopDevice.create(dir.resolve("lease.img"), 16L * 1024 * 1024);
    }

    @AfterEach
    void detach() {
        pool.shutdownNow();
        leases.forEach(DiskLease::close);
        if (loop != null) {
            loop.close();
        }
    }

    private void format() {
        assertInstanceOf(LeaseOutcome.Formatted.class, DiskLease.format(loop.device(), "vigil", SLOTS, LEASES, false));
    }

    private DiskLease lease(String server, int index) {
        return lease(server, index, PG);
    }

    private DiskLease lease(String server, int index, String name) {
        DiskLease l = new DiskLease(loop.device(), new LeaseIdentity("vigil", server, index), name, T);
        leases.add(l);
        return l;
    }

    /** Renews every renew-interval until stopped; remembers the anchor of the last successful renewal. */
    private AtomicBoolean renewInBackground(DiskLease l, AtomicLong lastAnchor) {
        AtomicBoolean run = new AtomicBoolean(true);
        pool.submit(() -> {
            while (run.get()) {
                if (l.renew() instanceof LeaseOutcome.Renewed r) {
                    lastAnchor.set(r.anchorNanos());
                }
                Thread.sleep(T.renewInterval().toMillis());
            }
            return null;
        });
        return run;
    }

    private long slotBlock(int serverIndex) {
        return 1L + (long) DiskLease.leaseIndex(PG, LEASES) * SLOTS + serverIndex;
    }

    @Test
    void formatWritesAHeaderAndFreeSlots() {
        LeaseOutcome f = DiskLease.format(loop.device(), "vigil", SLOTS, LEASES, false);
        assertTrue(f.describe().contains("4 server slots x 64 leases"), f.describe());
        Observed o = assertInstanceOf(Observed.class, lease("n1", 0).observe());
        assertEquals(SLOTS, o.slots().size());
        assertTrue(o.slots().stream().allMatch(s -> s.slot().state() == SlotState.FREE && !s.expired()), o.describe());
    }

    @Test
    void formatRefusesAnotherClustersDeviceUnlessForced() {
        DiskLease.format(loop.device(), "other", SLOTS, LEASES, false);
        Refused r = assertInstanceOf(Refused.class, DiskLease.format(loop.device(), "vigil", SLOTS, LEASES, false));
        assertTrue(r.reason().contains("formatted for cluster \"other\""), r.reason());
        assertInstanceOf(Failed.class, lease("n1", 0).acquire(1), "a device of another cluster is not used");
        assertInstanceOf(LeaseOutcome.Formatted.class, DiskLease.format(loop.device(), "vigil", SLOTS, LEASES, true));
    }

    @Test
    void formatRefusesADeviceWhoseSlotsAreInUse() {
        format();
        assertInstanceOf(Acquired.class, lease("n1", 0).acquire(1));
        Refused r = assertInstanceOf(Refused.class, DiskLease.format(loop.device(), "vigil", SLOTS, LEASES, false));
        assertTrue(r.reason().contains("n1 HELD"), r.reason());
    }

    @Test
    void acquireRenewReleaseCycle() {
        format();
        DiskLease n1 = lease("n1", 0);
        Acquired a = assertInstanceOf(Acquired.class, n1.acquire(1));
        assertEquals(1, a.generation());
        assertTrue(n1.holds());
        long counter = 0;
        for (int i = 0; i < 3; i++) {
            LeaseOutcome.Renewed r = assertInstanceOf(LeaseOutcome.Renewed.class, n1.renew());
            assertTrue(r.counter() > counter, "the counter grows on every renewal");
            counter = r.counter();
        }
        Observed held = assertInstanceOf(Observed.class, n1.observe());
        assertEquals(SlotState.HELD, held.slots().get(0).slot().state());
        assertEquals(counter, held.slots().get(0).slot().counter());
        assertEquals(LeaseState.HELD, n1.status().state());
        assertInstanceOf(LeaseOutcome.Released.class, n1.release());
        assertFalse(n1.holds());
        Observed free = assertInstanceOf(Observed.class, n1.observe());
        assertEquals(SlotState.FREE, free.slots().get(0).slot().state());
        assertEquals(1, free.slots().get(0).slot().generation(), "a released slot keeps its generation");
    }

    @Test
    void secondServerCannotAcquireWhileTheFirstRenews() throws Exception {
        format();
        DiskLease n1 = lease("n1", 0);
        DiskLease n2 = lease("n2", 1);
        assertInstanceOf(Acquired.class, n1.acquire(1));
        renewInBackground(n1, new AtomicLong());
        Refused now = assertInstanceOf(Refused.class, n2.acquire(2));
        assertEquals("n1", now.holder());
        long start = System.nanoTime();
        Refused waited = assertInstanceOf(Refused.class, n2.acquire(2, Duration.ofSeconds(3)));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waited.reason().contains("renewed while this server waited"), waited.reason());
        assertTrue(tookMs < T.leaseTimeout().toMillis(), "gives up as soon as the holder renews, took " + tookMs);
        assertTrue(n1.holds());
        assertEquals(LeaseState.NOT_HELD, n2.status().state());
    }

    @Test
    void secondServerTakesOverOnlyAfterObservingLeaseTimeoutOfStaleness() throws Exception {
        format();
        DiskLease n1 = lease("n1", 0);
        DiskLease n2 = lease("n2", 1);
        Acquired first = assertInstanceOf(Acquired.class, n1.acquire(1));
        AtomicLong lastAnchor = new AtomicLong(first.anchorNanos());
        AtomicBoolean renewing = renewInBackground(n1, lastAnchor);
        for (int i = 0; i < 5; i++) {
            n2.observe();
            Thread.sleep(T.renewInterval().toMillis());
        }
        renewing.set(false);
        Acquired second = assertInstanceOf(Acquired.class, n2.acquire(2, Duration.ofSeconds(3)),
                "the standby, observing every renew-interval, acquires as soon as the holder stops");
        long takeoverMs = TimeUnit.NANOSECONDS.toMillis(second.anchorNanos() - lastAnchor.get());
        System.out.println("lease takeover: n2 wrote HELD " + takeoverMs + " ms after n1's last renewal started"
                + " (lease-timeout " + T.leaseTimeout().toMillis() + " ms); " + second.note());
        assertTrue(takeoverMs >= T.leaseTimeout().toMillis(), "took over after only " + takeoverMs + " ms");
        assertTrue(second.generation() > first.generation());
        assertTrue(second.note().contains("took over from n1"), second.note());

        long counterBefore = ((Observed) n2.observe()).slots().get(0).slot().counter();
        Lost lost = assertInstanceOf(Lost.class, n1.renew(), "the old holder wakes up and must not act");
        assertTrue(lost.reason().contains("no successful renewal"), lost.reason());
        assertFalse(n1.holds());
        assertEquals(LeaseState.LOST, n1.status().state());
        assertEquals(counterBefore, ((Observed) n2.observe()).slots().get(0).slot().counter(),
                "a lost holder writes nothing");
    }

    @Test
    void simultaneousAcquireHasExactlyOneWinner() throws Exception {
        format();
        DiskLease n1 = lease("n1", 0);
        DiskLease n2 = lease("n2", 1);
        long lastGeneration = 0;
        int n1Wins = 0;
        for (int round = 0; round < 10; round++) {
            CyclicBarrier start = new CyclicBarrier(2);
            Future<LeaseOutcome> a = pool.submit(() -> {
                start.await();
                return n1.acquire(1);
            });
            Future<LeaseOutcome> b = pool.submit(() -> {
                start.await();
                return n2.acquire(2);
            });
            LeaseOutcome ra = a.get(10, TimeUnit.SECONDS);
            LeaseOutcome rb = b.get(10, TimeUnit.SECONDS);
            boolean aWon = ra instanceof Acquired;
            boolean bWon = rb instanceof Acquired;
            assertTrue(aWon ^ bWon, "round " + round + ": exactly one winner: " + ra.describe() + " / " + rb.describe());
            assertInstanceOf(Refused.class, aWon ? rb : ra);
            Acquired won = (Acquired) (aWon ? ra : rb);
            assertTrue(won.generation() > lastGeneration, "generation grows on every ownership change");
            lastGeneration = won.generation();
            n1Wins += aWon ? 1 : 0;
            assertInstanceOf(LeaseOutcome.Released.class, (aWon ? n1 : n2).release());
        }
        System.out.println("acquisition race: n1 (priority 1) won " + n1Wins + " of 10 rounds");
    }

    @Test
    void generationIncreasesOnEveryOwnershipChange() {
        format();
        DiskLease n1 = lease("n1", 0);
        DiskLease n2 = lease("n2", 1);
        long g1 = assertInstanceOf(Acquired.class, n1.acquire(1)).generation();
        n1.release();
        long g2 = assertInstanceOf(Acquired.class, n2.acquire(2)).generation();
        n2.release();
        long g3 = assertInstanceOf(Acquired.class, n1.acquire(1)).generation();
        assertTrue(g1 < g2 && g2 < g3, g1 + " < " + g2 + " < " + g3);
    }

    @Test
    void corruptedSlotIsReportedAndNotTrusted() throws Exception {
        format();
        DiskLease n1 = lease("n1", 0);
        assertInstanceOf(Acquired.class, lease("n2", 1).acquire(2));
        try (LeaseDevice raw = new LeaseDevice(loop.device(), Duration.ofSeconds(5))) {
            ByteBuffer block = raw.read(slotBlock(1), 1, 4096).value();
            block.put(100, (byte) (block.get(100) ^ 0x5a));
            assertTrue(raw.write(slotBlock(1), block, 4096).ok());
        }
        long start = System.nanoTime();
        Observed o = assertInstanceOf(Observed.class, n1.observe());
        SlotView bad = o.slots().get(1);
        assertTrue(bad.corrupt() && bad.problem().contains("bad CRC"), bad.describe());
        Refused r = assertInstanceOf(Refused.class, n1.acquire(1));
        assertTrue(r.reason().contains("unreadable") && r.reason().contains("not trusted"), r.reason());
        assertInstanceOf(Acquired.class, n1.acquire(1, Duration.ofSeconds(3)));
        assertTrue(System.nanoTime() - start >= T.leaseTimeout().toNanos(),
                "a corrupt slot is ignored only after it stayed unchanged for lease-timeout");
    }

    @Test
    void detachedDeviceGivesAClearErrorAndTheLeaseIsLost() throws Exception {
        format();
        DiskLease n1 = lease("n1", 0);
        assertInstanceOf(Acquired.class, n1.acquire(1));
        loop.detach();
        Failed f = assertInstanceOf(Failed.class, n1.renew());
        assertTrue(f.message().contains("lease device " + loop.device()) && f.message().contains("detached"),
                f.message());
        assertTrue(f.message().contains("stays valid for"), f.message());
        Thread.sleep(T.renewTimeout().toMillis() + 50);
        assertFalse(n1.holds());
        assertInstanceOf(Lost.class, n1.renew());
    }

    @Test
    void missingDeviceCannotBeOpened() {
        DiskLease l = new DiskLease(Path.of("/dev/vigil-no-such-disk"), new LeaseIdentity("vigil", "n1", 0), PG, T);
        leases.add(l);
        Failed f = assertInstanceOf(Failed.class, l.acquire(1));
        assertEquals("cannot open lease device /dev/vigil-no-such-disk: no such device", f.message());
        assertEquals(f.message(), l.status().lastError());
    }

    @Test
    void unformattedDeviceIsRefusedWithTheReason() {
        Failed f = assertInstanceOf(Failed.class, lease("n1", 0).acquire(1));
        assertTrue(f.message().contains("not a Vigil lease device"), f.message());
    }

    @Test
    void renewalThatSeesANewerGenerationGivesTheLeaseUp() {
        format();
        DiskLease n1 = lease("n1", 0);
        Acquired a = assertInstanceOf(Acquired.class, n1.acquire(1));
        try (LeaseDevice raw = new LeaseDevice(loop.device(), Duration.ofSeconds(5))) {
            ByteBuffer block = LeaseDevice.allocate(4096, 4096);
            new LeaseSlot("n2", PG, SlotState.HELD, a.generation() + 1, 7, System.currentTimeMillis(), 2, 700)
                    .encode(block);
            assertTrue(raw.write(slotBlock(1), block, 4096).ok());
        }
        Lost lost = assertInstanceOf(Lost.class, n1.renew());
        assertTrue(lost.reason().contains("taken over by n2 (generation " + (a.generation() + 1)), lost.reason());
        assertFalse(n1.holds());
    }

    @Test
    void parkedLeaseIsNotTakenOverAndItsOwnerAdoptsIt() throws Exception {
        format();
        DiskLease n1 = lease("n1", 0);
        long g = assertInstanceOf(Acquired.class, n1.acquire(1)).generation();
        assertInstanceOf(LeaseOutcome.Parked.class, n1.park());
        assertFalse(n1.holds(), "a parked lease does not entitle the daemon to act");
        DiskLease n2 = lease("n2", 1);
        n2.observe();
        Thread.sleep(T.leaseTimeout().toMillis() + 100);
        Refused r = assertInstanceOf(Refused.class, n2.acquire(2, Duration.ofSeconds(1)));
        assertTrue(r.reason().contains("parked by n1"), r.reason());
        Acquired adopted = assertInstanceOf(Acquired.class, lease("n1", 0).acquire(1), "the restarted daemon");
        assertTrue(adopted.note().contains("adopted") && adopted.generation() > g, adopted.describe());
    }

    @Test
    void leaseNamesThatHashToTheSameIndexAreReported() {
        format();
        String other = null;
        for (int i = 0; other == null; i++) {
            if (DiskLease.leaseIndex("h" + i, LEASES) == DiskLease.leaseIndex(PG, LEASES)) {
                other = "h" + i;
            }
        }
        assertEquals(List.of(PG, other),
                DiskLease.collisions(List.of(PG, other, "x"), LEASES).get(DiskLease.leaseIndex(PG, LEASES)));
        assertInstanceOf(Acquired.class, lease("n1", 0).acquire(1));
        Failed f = assertInstanceOf(Failed.class, lease("n2", 1, other).acquire(1));
        assertTrue(f.message().contains("also used by lease \"" + PG + "\""), f.message());
    }
}
