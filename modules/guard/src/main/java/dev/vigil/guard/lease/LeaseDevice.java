package dev.vigil.guard.lease;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whole-block, aligned, O_DIRECT + O_DSYNC I/O on the lease device, each operation bounded by the
 * io-timeout. The device is opened per operation so that a detached or replaced device is noticed
 * at once (a kept descriptor would keep a detached loop device alive). Operations run on one
 * thread of their own: a hung device blocks that thread, and later operations fail at once
 * instead of piling up behind it.
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
    private final ExecutorService io;
    private Future<?> inFlight;
    private long inFlightSince;

    LeaseDevice(Path path, Duration ioTimeout, String threadName) {
        this.path = path;
        this.ioTimeoutNanos = ioTimeout.toNanos();
        this.io = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    Path path() {
        return path;
    }

    /** An aligned direct buffer of {@code bytes} (a multiple of the block size). */
    static ByteBuffer allocate(int bytes, int blockSize) {
        return ByteBuffer.allocateDirect(bytes + blockSize).alignedSlice(blockSize).limit(bytes).slice();
    }

    Io<ByteBuffer> read(long firstBlock, int blocks, int blockSize) {
        return run(() -> readNow(firstBlock, blocks, blockSize));
    }

    Io<Void> write(long firstBlock, ByteBuffer data, int blockSize) {
        return run(() -> {
            writeNow(firstBlock, data, blockSize);
            return null;
        });
    }

    /**
     * Runs {@code op}, which does up to {@code ops} reads and writes with {@link #readNow} and
     * {@link #writeNow}, as one task on the I/O thread, bounded by {@code ops} x io-timeout: one
     * hand-over to the I/O thread instead of one per operation (a renewal's read and write).
     */
    <T> Io<T> batch(int ops, Callable<T> op) {
        return run(op, ops * ioTimeoutNanos);
    }

    /** A direct read on the calling thread: only inside {@link #batch}. */
    ByteBuffer readNow(long firstBlock, int blocks, int blockSize) throws IOException {
        try (FileChannel ch = open(StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            return readNow(ch, firstBlock, blocks, blockSize);
        }
    }

    /** A direct, synchronous write on the calling thread: only inside {@link #batch}. */
    void writeNow(long firstBlock, ByteBuffer data, int blockSize) throws IOException {
        try (FileChannel ch = open(StandardOpenOption.WRITE, StandardOpenOption.DSYNC, ExtendedOpenOption.DIRECT)) {
            writeNow(ch, firstBlock, data, blockSize);
        }
    }

    /** The device opened once for a batch's read and write (direct, synchronous writes): only inside {@link #batch}. */
    FileChannel openForBatch() throws IOException {
        return open(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DSYNC,
                ExtendedOpenOption.DIRECT);
    }

    ByteBuffer readNow(FileChannel ch, long firstBlock, int blocks, int blockSize) throws IOException {
        ByteBuffer buf = allocate(blocks * blockSize, blockSize);
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

    private synchronized <T> Io<T> run(Callable<T> op, long timeoutNanos) {
        long start = System.nanoTime();
        if (inFlight != null && !inFlight.isDone()) {
            return Io.failed("previous I/O on lease device " + path + " still in flight after "
                    + TimeUnit.NANOSECONDS.toMillis(start - inFlightSince) + " ms (device hung?)", start);
        }
        inFlight = null;
        Future<T> f;
        try {
            f = io.submit(op);
        } catch (RuntimeException e) {
            return Io.failed("lease device " + path + " is closed", start);
        }
        try {
            T value = f.get(timeoutNanos, TimeUnit.NANOSECONDS);
            return new Io<>(value, null, start, System.nanoTime());
        } catch (TimeoutException e) {
            inFlight = f;
            inFlightSince = start;
            return Io.failed("I/O on lease device " + path + " did not complete within "
                    + (timeoutNanos == ioTimeoutNanos ? "io-timeout " : timeoutNanos / ioTimeoutNanos + " x io-timeout ")
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", start);
        } catch (ExecutionException e) {
            return Io.failed(describe(e.getCause()), start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            inFlight = f;
            inFlightSince = start;
            return Io.failed("interrupted while waiting for lease device " + path, start);
        }
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
        io.shutdownNow();
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
