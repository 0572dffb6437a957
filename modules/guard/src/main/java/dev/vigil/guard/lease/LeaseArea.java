package dev.vigil.guard.lease;

import dev.vigil.core.config.LeaseTimings;
import dev.vigil.guard.lease.LeaseDevice.Io;
import dev.vigil.guard.lease.LeaseReading.Seen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One lease's slots on the device as this server sees them: header checks, reads with the
 * staleness of every slot, writes of its own slot, and the consistency checks (hash collision,
 * two servers on one index). The decisions built on them are {@link DiskLease}'s.
 */
final class LeaseArea implements AutoCloseable {

    private final LeaseIdentity me;
    private final String leaseName;
    private final LeaseTimings t;
    private final LeaseDevice device;
    private final SlotTracker tracker = new SlotTracker();
    private LeaseHeader header;
    private int leaseIndex = -1;
    private long counter;
    /** Reused every read and write (ten of each a second on a holder): the slots, this server's slot. */
    private ByteBuffer slotsBuffer;
    private ByteBuffer ownBuffer;
    /** The last decoding of each slot: a slot whose bytes did not change is not decoded again. */
    private LeaseSlot.Decoded[] lastDecoded;

    LeaseArea(Path device, LeaseIdentity me, String leaseName, LeaseTimings timings) {
        this.me = me;
        this.leaseName = leaseName;
        this.t = timings;
        this.device = new LeaseDevice(device, timings.ioTimeout());
    }

    boolean hasHeader() {
        return header != null;
    }

    int leaseIndex() {
        return leaseIndex;
    }

    long counter() {
        return counter;
    }

    Path path() {
        return device.path();
    }

    /** How long the lease I/O in progress has been running; 0 when none is. */
    long ioInFlightNanos() {
        return device.inFlightNanos();
    }

    /** Reads and checks the header; null when usable, else why not. */
    String ensureHeader() {
        Io<ByteBuffer> io = device.read(0, 1, LeaseHeader.DEFAULT_BLOCK_SIZE);
        if (!io.ok()) {
            return io.error();
        }
        StringBuilder why = new StringBuilder();
        Optional<LeaseHeader> h = LeaseHeader.decode(io.value(), why);
        if (h.isEmpty()) {
            return "lease device " + device.path() + ": " + why;
        }
        String cluster = LeaseSlot.stored(me.clusterName(), LeaseHeader.MAX_CLUSTER_NAME);
        if (!h.get().clusterName().equals(cluster)) {
            return "lease device " + device.path() + " belongs to cluster \"" + h.get().clusterName() + "\", not \""
                    + cluster + "\"";
        }
        if (me.serverIndex() >= h.get().slots()) {
            return "server " + me.serverName() + " has index " + me.serverIndex() + " but lease device "
                    + device.path() + " has only " + h.get().slots() + " slots per lease (format it with more slots)";
        }
        if (header == null || !header.equals(h.get())) {
            int bs = h.get().blockSize();
            slotsBuffer = LeaseDevice.allocate(h.get().slots() * bs, bs);
            ownBuffer = LeaseDevice.allocate(bs, bs);
            lastDecoded = new LeaseSlot.Decoded[h.get().slots()];
        }
        header = h.get();
        leaseIndex = LeaseFormatter.leaseIndex(leaseName, header.maxLeases());
        return null;
    }

    /** Reads every slot of the lease and records what changed. */
    Io<LeaseReading> read() {
        int bs = header.blockSize();
        Io<ByteBuffer> io = device.readInto(header.firstSlotBlock(leaseIndex), slotsBuffer, bs);
        if (!io.ok()) {
            return Io.failed(io.error(), io.startNanos());
        }
        return new Io<>(decode(io.value(), io.startNanos(), io.endNanos()), null, io.startNanos(), io.endNanos());
    }

    private LeaseReading decode(ByteBuffer slots, long startNanos, long endNanos) {
        int bs = header.blockSize();
        List<Seen> seen = new ArrayList<>();
        for (int i = 0; i < header.slots(); i++) {
            ByteBuffer block = slots.slice(i * bs, bs);
            long signature = LeaseSlot.signature(block);
            LeaseSlot.Decoded d = lastDecoded[i];
            if (d == null || d.signature() != signature) {
                d = LeaseSlot.decode(block, signature);
                lastDecoded[i] = d;
            }
            long stale = tracker.record(i, d.signature(), startNanos, endNanos);
            boolean nonFree = !d.valid() || d.slot().state() != SlotState.FREE;
            seen.add(new Seen(i, d, stale, nonFree && stale >= thresholdNanos(d)));
        }
        LeaseReading r = new LeaseReading(seen, startNanos, endNanos, me.serverIndex());
        Seen own = r.own();
        if (own.valid() && own.slot().serverName().equals(me.serverName())) {
            counter = Math.max(counter, own.slot().counter());
        }
        return r;
    }

    /**
     * A read of every slot and, unless {@code veto} objects to what it shows, a write of this
     * server's slot: {@code reading} and {@code vetoed} tell which happened; {@code write} has the
     * write's times (null when vetoed).
     */
    record ReadThenWrite(LeaseReading reading, boolean vetoed, Io<Void> write) {
    }

    /**
     * A renewal's read and write as one operation with one open of the device, each still held to
     * io-timeout: a read that took longer fails the whole without writing, as a separate read
     * would have.
     */
    Io<ReadThenWrite> readThenWriteOwn(SlotState st, long gen, int priority, Predicate<LeaseReading> veto) {
        int bs = header.blockSize();
        long timeout = device.ioTimeoutNanos();
        return device.batch(2, () -> {
            long r0 = System.nanoTime();
            try (FileChannel ch = device.openForBatch()) {
                ByteBuffer slots = device.readNow(ch, header.firstSlotBlock(leaseIndex), slotsBuffer, bs);
                long r1 = System.nanoTime();
                if (r1 - r0 > timeout) {
                    throw new IOException("read of lease device " + device.path() + " took " + ms(r1 - r0)
                            + " ms, beyond io-timeout " + ms(timeout) + " ms");
                }
                LeaseReading reading = decode(slots, r0, r1);
                if (veto.test(reading)) {
                    return new ReadThenWrite(reading, true, null);
                }
                ByteBuffer buf = ownSlot(st, gen, priority);
                long w0 = System.nanoTime();
                try {
                    device.writeNow(ch, header.firstSlotBlock(leaseIndex) + me.serverIndex(), buf, bs);
                } catch (IOException e) {
                    return new ReadThenWrite(reading, false, Io.failed(device.describe(e), w0));
                }
                long w1 = System.nanoTime();
                Io<Void> write = w1 - w0 > timeout
                        ? new Io<>(null, "write of lease device " + device.path() + " took " + ms(w1 - w0)
                                + " ms, beyond io-timeout " + ms(timeout) + " ms", w0, w1)
                        : new Io<>(null, null, w0, w1);
                return new ReadThenWrite(reading, false, write);
            }
        });
    }

    /**
     * How long a slot must be seen unchanged before it is ignored: lease-timeout, or longer when
     * its writer promised a longer fence bound (servers with slower settings stay safe).
     */
    long thresholdNanos(LeaseSlot.Decoded d) {
        long lease = t.leaseTimeout().toNanos();
        if (!d.valid()) {
            return lease;
        }
        return Math.max(lease, TimeUnit.MILLISECONDS.toNanos(d.slot().fenceBoundMillis()) + t.safetyMargin().toNanos());
    }

    /** A slot that makes this lease unusable as configured: a name collision or a shared server index. */
    String conflict(LeaseReading r) {
        for (Seen s : r.slots()) {
            if (!s.valid() || s.slot().state() == SlotState.FREE || s.expired()) {
                continue;
            }
            LeaseSlot slot = s.slot();
            if (!slot.leaseName().isEmpty() && !slot.leaseName().equals(leaseName)) {
                return "lease index " + leaseIndex + " on " + device.path() + " is also used by lease \""
                        + slot.leaseName() + "\" (its name hashes to the same index as \"" + leaseName
                        + "\"); format the lease device with more leases";
            }
            if (s.index() == me.serverIndex() && !slot.serverName().isEmpty()
                    && !slot.serverName().equals(me.serverName())) {
                return "slot " + s.index() + " of lease \"" + leaseName + "\" is in use by server \""
                        + slot.serverName() + "\", not \"" + me.serverName()
                        + "\": are two servers configured with the same index?";
            }
        }
        return null;
    }

    /** Writes this server's slot with the next counter. */
    Io<Void> writeOwn(SlotState st, long gen, int priority) {
        return device.write(header.firstSlotBlock(leaseIndex) + me.serverIndex(), ownSlot(st, gen, priority),
                header.blockSize());
    }

    /** This server's slot with the next counter, encoded in an aligned block. */
    private ByteBuffer ownSlot(SlotState st, long gen, int priority) {
        LeaseSlot slot = new LeaseSlot(me.serverName(), leaseName, st, gen, ++counter, System.currentTimeMillis(),
                priority, t.fenceBound().toMillis());
        slot.encode(ownBuffer.clear());
        return ownBuffer;
    }

    String heldBy(Seen s) {
        if (!s.valid()) {
            return "lease \"" + leaseName + "\": slot of " + s.who() + " is unreadable (" + s.decoded().problem()
                    + "); not trusted until seen unchanged for " + ms(thresholdNanos(s.decoded())) + " ms";
        }
        return "lease \"" + leaseName + "\" is held by " + s.who() + " (generation " + s.slot().generation()
                + ", slot unchanged for " + ms(s.staleNanos()) + " ms)";
    }

    String parkedBy(Seen s) {
        return "lease \"" + leaseName + "\" is parked by " + s.who()
                + " (its daemon stopped with resources left running); only an operator who knows " + s.who()
                + " is down may force it";
    }

    @Override
    public void close() {
        device.close();
    }

    static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
