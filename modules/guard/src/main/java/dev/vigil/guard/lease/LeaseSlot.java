package dev.vigil.guard.lease;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * One server's slot of one lease as stored on disk: a whole block, checksummed, written only by
 * that server. The wall-clock time is for operators; decisions use counters observed against the
 * local monotonic clock, never this timestamp.
 *
 * @param serverName the server that wrote the slot ("" in a slot never written since format)
 * @param leaseName the lease (hierarchy tag) the slot belongs to, to detect hash collisions
 * @param state what the server says about the lease
 * @param generation the ownership generation, strictly increasing per lease across owners
 * @param counter incremented on every write of the slot
 * @param wallClockMillis when it was written, by the writer's clock (informational)
 * @param priority the writer's priority for this lease (1 = primary), breaks acquisition races
 * @param fenceBoundMillis the writer's promise: its resources are dead this long after its last renewal start
 */
public record LeaseSlot(String serverName, String leaseName, SlotState state, long generation, long counter,
                        long wallClockMillis, int priority, long fenceBoundMillis) {

    static final byte[] MAGIC = "VGLSLOT1".getBytes(StandardCharsets.US_ASCII);
    static final int LAYOUT_VERSION = 1;
    static final int MAX_SERVER_NAME = 64;
    static final int MAX_LEASE_NAME = 256;
    private static final SlotState[] STATES = SlotState.values();
    /** Bytes covered by the checksum; the checksum follows them. The rest of the block is zero. */
    static final int USED = 508;

    /** The result of reading a slot block: the slot, or why it cannot be trusted. */
    record Decoded(LeaseSlot slot, String problem, long signature) {
        boolean valid() {
            return slot != null;
        }
    }

    /** A slot as {@code format} leaves it. */
    static LeaseSlot blank() {
        return new LeaseSlot("", "", SlotState.FREE, 0, 0, System.currentTimeMillis(), 0, 0);
    }

    /**
     * Writes the slot into {@code block} (the rest of the block zero). Built in a heap array and
     * copied in one go: byte-wise access to a direct buffer is slow in the daemon's C1-only JVM.
     */
    void encode(ByteBuffer block) {
        byte[] bytes = new byte[block.capacity()];
        ByteBuffer b = ByteBuffer.wrap(bytes);
        b.put(MAGIC).putInt(LAYOUT_VERSION).putInt(state.ordinal()).putLong(generation).putLong(counter)
                .putLong(wallClockMillis).putInt(priority).putLong(fenceBoundMillis);
        putName(b, serverName, MAX_SERVER_NAME);
        putName(b, leaseName, MAX_LEASE_NAME);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, USED);
        b.putInt(USED, (int) crc.getValue());
        block.put(0, bytes);
    }

    static Decoded decode(ByteBuffer block) {
        return decode(block, signature(block));
    }

    /** Decodes a block whose {@link #signature} is already known. */
    static Decoded decode(ByteBuffer block, long signature) {
        ByteBuffer b = block.duplicate();
        b.position(0);
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            return new Decoded(null, allZero(block) ? "blank slot (zeroed since format)" : "bad magic (not a slot)",
                    signature);
        }
        if (block.getInt(USED) != Crc.of(block, USED)) {
            return new Decoded(null, "bad CRC (torn or corrupted write)", signature);
        }
        int version = b.getInt();
        int state = b.getInt();
        if (version != LAYOUT_VERSION || state < 0 || state >= STATES.length) {
            return new Decoded(null, "unknown slot layout " + version + " or state " + state, signature);
        }
        long generation = b.getLong();
        long counter = b.getLong();
        long wall = b.getLong();
        int priority = b.getInt();
        long fenceBound = b.getLong();
        String server = getName(b, MAX_SERVER_NAME);
        String lease = getName(b, MAX_LEASE_NAME);
        return new Decoded(new LeaseSlot(server, lease, STATES[state], generation, counter, wall,
                priority, fenceBound), null, signature);
    }

    /** Names longer than their field are stored truncated; comparisons use the stored form. */
    static String stored(String name, int max) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= max) {
            return name;
        }
        return new String(bytes, 0, max, StandardCharsets.UTF_8).replace("\uFFFD", "");
    }

    private static void putName(ByteBuffer b, String name, int max) {
        byte[] bytes = stored(name, max).getBytes(StandardCharsets.UTF_8);
        b.putShort((short) bytes.length);
        b.put(bytes);
        b.position(b.position() + max - bytes.length);
    }

    private static String getName(ByteBuffer b, int max) {
        int len = Math.min(Math.max(b.getShort(), 0), max);
        byte[] bytes = new byte[len];
        b.get(bytes);
        b.position(b.position() + max - len);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Any change of the block's bytes (a renewal changes the counter) changes the signature. */
    static long signature(ByteBuffer block) {
        CRC32 crc = new CRC32();
        crc.update(block.duplicate().position(0));
        return crc.getValue();
    }

    private static boolean allZero(ByteBuffer block) {
        for (int i = 0; i < block.capacity(); i++) {
            if (block.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
