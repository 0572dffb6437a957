package dev.vigil.guard.lease;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Block 0 of a lease device: what it is ("VIGILLSE"), for which cluster, and its geometry. Lease i,
 * server slot s lives in block {@code 1 + i * slots + s}, so the slots of one lease are one
 * contiguous read.
 *
 * @param blockSize bytes per block; every read and write is whole blocks, aligned, O_DIRECT
 * @param slots server slots per lease (the most servers the cluster may have)
 * @param maxLeases how many lease indexes there are; lease names are hashed onto them
 * @param clusterName the cluster the device was formatted for
 * @param formattedAtMillis wall-clock time of the format (informational)
 */
public record LeaseHeader(int blockSize, int slots, int maxLeases, String clusterName, long formattedAtMillis) {

    static final byte[] MAGIC = "VIGILLSE".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    public static final int DEFAULT_BLOCK_SIZE = 4096;
    static final int MAX_CLUSTER_NAME = 128;

    /** Blocks the whole lease area needs, header included. */
    public long totalBlocks() {
        return 1L + (long) slots * maxLeases;
    }

    public long totalBytes() {
        return totalBlocks() * blockSize;
    }

    /** First block of a lease's slots. */
    long firstSlotBlock(int leaseIndex) {
        return 1L + (long) leaseIndex * slots;
    }

    void encode(ByteBuffer block) {
        for (int i = 0; i < block.capacity(); i++) {
            block.put(i, (byte) 0);
        }
        byte[] name = LeaseSlot.stored(clusterName, MAX_CLUSTER_NAME).getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = block.duplicate();
        b.position(0);
        b.put(MAGIC).putInt(VERSION).putInt(blockSize).putInt(slots).putInt(maxLeases).putLong(formattedAtMillis)
                .putShort((short) name.length).put(name);
        block.putInt(LeaseSlot.USED, Crc.of(block, LeaseSlot.USED));
    }

    /** The header, or empty with {@code why} filled in (the caller names the device). */
    static Optional<LeaseHeader> decode(ByteBuffer block, StringBuilder why) {
        ByteBuffer b = block.duplicate();
        b.position(0);
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            why.append("not a Vigil lease device (no VIGILLSE header; format it first)");
            return Optional.empty();
        }
        if (block.getInt(LeaseSlot.USED) != Crc.of(block, LeaseSlot.USED)) {
            why.append("lease header is corrupted (bad CRC)");
            return Optional.empty();
        }
        int version = b.getInt();
        if (version != VERSION) {
            why.append("lease header version ").append(version).append(" is not supported (expected ")
                    .append(VERSION).append(')');
            return Optional.empty();
        }
        int blockSize = b.getInt();
        int slots = b.getInt();
        int maxLeases = b.getInt();
        long formatted = b.getLong();
        int len = Math.min(Math.max(b.getShort(), 0), MAX_CLUSTER_NAME);
        byte[] name = new byte[len];
        b.get(name);
        if (blockSize != DEFAULT_BLOCK_SIZE || slots < 1 || maxLeases < 1) {
            why.append("lease header has an impossible geometry (block size ").append(blockSize)
                    .append(", slots ").append(slots).append(", leases ").append(maxLeases).append(')');
            return Optional.empty();
        }
        return Optional.of(new LeaseHeader(blockSize, slots, maxLeases, new String(name, StandardCharsets.UTF_8),
                formatted));
    }
}
