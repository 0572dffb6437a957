package dev.vigil.guard.lease;

import dev.vigil.guard.lease.LeaseDevice.Io;
import dev.vigil.guard.lease.LeaseOutcome.Failed;
import dev.vigil.guard.lease.LeaseOutcome.Refused;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32;

/** Lays a lease area out on a device (format) and maps lease names onto its lease indexes. */
final class LeaseFormatter {

    private static final Duration FORMAT_IO_TIMEOUT = Duration.ofSeconds(10);
    private static final int FORMAT_CHUNK_BLOCKS = 64;
    static final int MAX_SLOTS = 255;
    static final int MAX_LEASES = 65536;

    private LeaseFormatter() {
    }

    /**
     * Writes an empty lease area: the header and every slot FREE. Refuses a device formatted for
     * another cluster, or one with slots in use, unless {@code force}.
     */
    static LeaseOutcome format(Path device, String clusterName, int slots, int maxLeases, boolean force) {
        if (clusterName == null || clusterName.isBlank()) {
            return new Failed("cluster name must not be blank");
        }
        if (slots < 1 || slots > MAX_SLOTS || maxLeases < 1 || maxLeases > MAX_LEASES) {
            return new Failed("slots must be 1.." + MAX_SLOTS + " and leases 1.." + MAX_LEASES + " (got " + slots
                    + " slots, " + maxLeases + " leases)");
        }
        LeaseHeader h = new LeaseHeader(LeaseHeader.DEFAULT_BLOCK_SIZE, slots, maxLeases,
                LeaseSlot.stored(clusterName, LeaseHeader.MAX_CLUSTER_NAME), System.currentTimeMillis());
        int bs = h.blockSize();
        try (LeaseDevice dev = new LeaseDevice(device, FORMAT_IO_TIMEOUT)) {
            Io<Long> size = dev.size();
            if (!size.ok()) {
                return new Failed(size.error());
            }
            if (size.value() < h.totalBytes()) {
                return new Failed("lease device " + device + " has " + size.value() + " bytes; " + slots
                        + " slots x " + maxLeases + " leases need " + h.totalBytes() + " bytes");
            }
            Io<ByteBuffer> old = dev.read(0, 1, bs);
            if (!old.ok()) {
                return new Failed(old.error());
            }
            Optional<LeaseHeader> existing = LeaseHeader.decode(old.value(), new StringBuilder());
            if (existing.isPresent() && !force) {
                if (!existing.get().clusterName().equals(h.clusterName())) {
                    return new Refused("lease device " + device + " is formatted for cluster \""
                            + existing.get().clusterName() + "\", not \"" + h.clusterName()
                            + "\"; format with force only if that cluster no longer uses it", null);
                }
                String inUse = slotsInUse(dev, existing.get());
                if (inUse != null) {
                    return new Refused(inUse, null);
                }
            }
            ByteBuffer zero = LeaseDevice.allocate(bs, bs);
            Io<Void> w = dev.write(0, zero, bs);
            for (long block = 1; w.ok() && block < h.totalBlocks(); block += FORMAT_CHUNK_BLOCKS) {
                int n = (int) Math.min(FORMAT_CHUNK_BLOCKS, h.totalBlocks() - block);
                ByteBuffer chunk = LeaseDevice.allocate(n * bs, bs);
                for (int i = 0; i < n; i++) {
                    LeaseSlot.blank().encode(chunk.slice(i * bs, bs));
                }
                w = dev.write(block, chunk, bs);
            }
            if (w.ok()) {
                ByteBuffer head = LeaseDevice.allocate(bs, bs);
                h.encode(head);
                w = dev.write(0, head, bs);
            }
            return w.ok() ? new LeaseOutcome.Formatted(h) : new Failed(w.error());
        }
    }

    private static String slotsInUse(LeaseDevice dev, LeaseHeader h) {
        int bs = h.blockSize();
        List<String> used = new ArrayList<>();
        for (long block = 1; block < h.totalBlocks(); block += FORMAT_CHUNK_BLOCKS) {
            int n = (int) Math.min(FORMAT_CHUNK_BLOCKS, h.totalBlocks() - block);
            Io<ByteBuffer> io = dev.read(block, n, bs);
            if (!io.ok()) {
                return io.error();
            }
            for (int i = 0; i < n; i++) {
                LeaseSlot.Decoded d = LeaseSlot.decode(io.value().slice(i * bs, bs));
                if (d.valid() && d.slot().state() != SlotState.FREE && used.size() < 3) {
                    used.add(d.slot().serverName() + " " + d.slot().state() + " \"" + d.slot().leaseName()
                            + "\" generation " + d.slot().generation());
                }
            }
        }
        return used.isEmpty() ? null : "lease device " + dev.path() + " has slots in use (" + String.join(", ", used)
                + "); stop every server of the cluster first, or format with force";
    }

    /** The lease index a name hashes to on a device with {@code maxLeases} leases. */
    static int leaseIndex(String leaseName, int maxLeases) {
        CRC32 crc = new CRC32();
        crc.update(LeaseSlot.stored(leaseName, LeaseSlot.MAX_LEASE_NAME).getBytes(StandardCharsets.UTF_8));
        return (int) Math.floorMod(crc.getValue(), (long) maxLeases);
    }

    /** Lease indexes shared by more than one of {@code leaseNames}: a configuration error to report. */
    static Map<Integer, List<String>> collisions(Collection<String> leaseNames, int maxLeases) {
        Map<Integer, List<String>> byIndex = new TreeMap<>();
        for (String name : leaseNames) {
            byIndex.computeIfAbsent(leaseIndex(name, maxLeases), i -> new ArrayList<>()).add(name);
        }
        byIndex.values().removeIf(names -> names.size() < 2);
        return byIndex;
    }
}
