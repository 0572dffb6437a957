package dev.vigil.daemon.cluster.heartbeat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One heartbeat datagram of a comm path: who sends it (server and cluster name), which life of
 * that server (its incarnation, the start time of its actor system) and a sequence number within
 * that life, so a receiver can ignore strangers, a previous life's late datagrams and duplicates;
 * and whether the sender hears the receiver on that path ({@code hearsYou}: its failure detector
 * for the receiver says available), so that a path silent in one direction only is DEAD on both
 * ends. Encoded as a magic number, a version, two length-prefixed UTF-8 strings, two longs and the
 * flag as the last byte ({@link #HEARS_YOU_OFFSET_FROM_END}); anything else read off the wire is
 * refused.
 */
public record Heartbeat(String cluster, String sender, long incarnation, long seq, boolean hearsYou) {
    private static final int MAGIC = 0x56474842; // "VGHB"
    private static final byte VERSION = 2;
    /** The flag is the datagram's last byte: one encoding serves every receiver, its flag set per receiver. */
    public static final int HEARS_YOU_OFFSET_FROM_END = 1;
    /** No valid heartbeat is longer: server and cluster names are short. */
    public static final int MAX_SIZE = 512;

    /** Sets the flag of an encoded heartbeat (from {@link #encode()}) for one receiver. */
    public static void setHearsYou(ByteBuffer encoded, boolean hearsYou) {
        encoded.put(encoded.limit() - HEARS_YOU_OFFSET_FROM_END, (byte) (hearsYou ? 1 : 0));
    }

    /**
     * Sets the sequence number of an encoded heartbeat (from {@link #encode()}, position 0, limit
     * its end): a sender encodes its heartbeat once and only counts on.
     */
    public static void setSeq(ByteBuffer encoded, long seq) {
        encoded.putLong(encoded.limit() - HEARS_YOU_OFFSET_FROM_END - Long.BYTES, seq);
    }

    public ByteBuffer encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            writeString(out, cluster);
            writeString(out, sender);
            out.writeLong(incarnation);
            out.writeLong(seq);
            out.writeByte(hearsYou ? 1 : 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen in memory
        }
        if (bytes.size() > MAX_SIZE) {
            throw new IllegalArgumentException("heartbeat of " + sender + " longer than " + MAX_SIZE + " bytes");
        }
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    /** The heartbeat in {@code datagram} (from its position to its limit), or empty when it is not one. */
    public static Optional<Heartbeat> decode(ByteBuffer datagram) {
        try {
            if (datagram.getInt() != MAGIC || datagram.get() != VERSION) {
                return Optional.empty();
            }
            String cluster = readString(datagram);
            String sender = readString(datagram);
            long incarnation = datagram.getLong();
            long seq = datagram.getLong();
            byte flag = datagram.get();
            if (datagram.hasRemaining() || flag != 0 && flag != 1) {
                return Optional.empty();
            }
            return Optional.of(new Heartbeat(cluster, sender, incarnation, seq, flag == 1));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    private static String readString(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > in.remaining()) {
            throw new IllegalArgumentException("string longer than the datagram");
        }
        byte[] b = new byte[length];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
