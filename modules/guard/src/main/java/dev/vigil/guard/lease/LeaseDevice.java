package dev.vigil.guard.lease;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Whole-block, aligned, O_DIRECT + O_DSYNC I/O on the lease device, each operation bounded by the
 * io-timeout. The device is opened per operation so that a detached or replaced device is noticed
 * at once (a kept descriptor would keep a detached loop device alive).
 *
 * <p>Operations run on the calling thread (the lease keeper's): no hand-over to another thread,
 * which would cost two thread wake-ups per operation, ten times a second. An operation that took
 * longer than its bound has failed, whatever it returned, and says so. One that does not return
 * at all (a hung device) blocks its caller; {@link #inFlightNanos()} tells a watchdog for how
 * long, so that the keeper can give a held lease up on time without the I/O completing.
 */
final class LeaseDevice implements AutoCloseable {

    /** An I/O outcome: a value or an error an operator understands, with when the operation ran. */
    record Io<T>(T value, String error, long startNanos, long endNanos) {
        boolean ok() {
            return error == null;
        }

        static <T> Io<T> failed(String error, long start) {
            return new Io<>(null, error, start, System.nanoTime());
        }
    }

    private final Path path;
    private final long ioTimeoutNanos;
    /** When the operation in progress started; 0 when none is. */
    private volatile long inFlightSince;
    private volatile boolean closed;

    LeaseDevice(Path path, Duration ioTimeout) {
        this.path = path;
        this.ioTimeoutNanos = ioTimeout.toNanos();
    }

    Path path() {
        return path;
    }

    /** An aligned direct buffer of {@code bytes} (a multiple of the block size). */
    static ByteBuffer allocate(int bytes, int blockSize) {
        return ByteBuffer.allocateDirect(bytes + blockSize).alignedSlice(blockSize).limit(bytes).slice();
    }

    Io<ByteBuffer> read(long firstBlock, int blocks, int blockSize) {
        return readInto(firstBlock, allocate(blocks * blockSize, blockSize), blockSize);
    }

    /** Reads whole blocks from {@code firstBlock} into {@code buf} (aligned, a multiple of the block size). */
    Io<ByteBuffer> readInto(long firstBlock, ByteBuffer buf, int blockSize) {
        return run(() -> {
            try (FileChannel ch = open(StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
                return readNow(ch, firstBlock, buf, blockSize);
            }
        });
    }

    Io<Void> write(long firstBlock, ByteBuffer data, int blockSize) {
        return run(() -> {
            try (FileChannel ch = open(StandardOpenOption.WRITE, StandardOpenOption.DSYNC, ExtendedOpenOption.DIRECT)) {
                writeNow(ch, firstBlock, data, blockSize);
            }
            return null;
        });
    }

    /**
     * Runs {@code op}, which does up to {@code ops} reads and writes on {@link #openForBatch} with
     * {@link #readNow} and {@link #writeNow}, as one operation bounded by {@code ops} x io-timeout (a renewal's read
     * and write with one open of the device).
     */
    <T> Io<T> batch(int ops, Callable<T> op) {
        return run(op, ops * ioTimeoutNanos);
    }

    /** The device opened once for a batch's read and write (direct, synchronous writes): only inside {@link #batch}. */
    FileChannel openForBatch() throws IOException {
        return open(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DSYNC,
                ExtendedOpenOption.DIRECT);
    }

    /** Fills {@code buf} from {@code firstBlock} on: only inside an operation. */
    ByteBuffer readNow(FileChannel ch, long firstBlock, ByteBuffer buf, int blockSize) throws IOException {
        buf.clear();
        long pos = firstBlock * blockSize;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n <= 0) {
                throw new ShortIo("short read at block " + firstBlock + " (got " + buf.position() + " of "
                        + buf.capacity() + " bytes)");
            }
        }
        return buf.clear();
    }

    void writeNow(FileChannel ch, long firstBlock, ByteBuffer data, int blockSize) throws IOException {
        ByteBuffer buf = data.duplicate().clear();
        long pos = firstBlock * blockSize;
        while (buf.hasRemaining()) {
            int n = ch.write(buf, pos + buf.position());
            if (n <= 0) {
                throw new ShortIo("short write at block " + firstBlock);
            }
        }
    }

    long ioTimeoutNanos() {
        return ioTimeoutNanos;
    }

    Io<Long> size() {
        return run(() -> {
            try (FileChannel ch = open(StandardOpenOption.READ)) {
                return ch.size();
            }
        });
    }

    private FileChannel open(OpenOption... options) throws IOException {
        try {
            return FileChannel.open(path, options);
        } catch (NoSuchFileException e) {
            throw new CannotOpen("no such device");
        } catch (AccessDeniedException e) {
            throw new CannotOpen("permission denied");
        } catch (IOException e) {
            throw new CannotOpen(e.getMessage());
        }
    }

    private <T> Io<T> run(Callable<T> op) {
        return run(op, ioTimeoutNanos);
    }

    /** How long the operation in progress has been running; 0 when none is. */
    long inFlightNanos() {
        long since = inFlightSince;
        return since == 0 ? 0 : Math.max(1, System.nanoTime() - since);
    }

    private <T> Io<T> run(Callable<T> op, long timeoutNanos) {
        long start = System.nanoTime();
        synchronized (this) {
            if (closed) {
                return Io.failed("lease device " + path + " is closed", start);
            }
            long since = inFlightSince;
            if (since != 0) {
                return Io.failed("previous I/O on lease device " + path + " still in flight after "
                        + TimeUnit.NANOSECONDS.toMillis(start - since) + " ms (device hung?)", start);
            }
            inFlightSince = start;
        }
        T value;
        try {
            value = op.call();
        } catch (ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            return Io.failed("interrupted during I/O on lease device " + path, start);
        } catch (Exception e) {
            return Io.failed(describe(e), start);
        } finally {
            inFlightSince = 0;
        }
        long end = System.nanoTime();
        if (end - start > timeoutNanos) {
            return new Io<>(null, "I/O on lease device " + path + " took " + TimeUnit.NANOSECONDS.toMillis(end - start)
                    + " ms, beyond " + (timeoutNanos == ioTimeoutNanos ? "io-timeout " : timeoutNanos / ioTimeoutNanos
                    + " x io-timeout ") + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", start, end);
        }
        return new Io<>(value, null, start, end);
    }

    String describe(Throwable t) {
        if (t instanceof CannotOpen) {
            return "cannot open lease device " + path + ": " + t.getMessage();
        }
        if (t instanceof ShortIo) {
            return "lease device " + path + " is detached or smaller than the lease area: " + t.getMessage();
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (msg.contains("No space left on device")) {
            return "lease device " + path + " is detached or smaller than the lease area: " + msg;
        }
        return "I/O error on lease device " + path + ": " + msg;
    }

    @Override
    public void close() {
        closed = true;
    }

    private static final class CannotOpen extends IOException {
        CannotOpen(String message) {
            super(message);
        }
    }

    private static final class ShortIo extends IOException {
        ShortIo(String message) {
            super(message);
        }
    }
}
