package dev.vigil.kits.filesystem;

import dev.vigil.core.LogType;
import dev.vigil.kits.Failure;
import dev.vigil.kits.FailureKind;
import dev.vigil.kits.process.Command;
import dev.vigil.kits.process.CommandResult;
import dev.vigil.kits.process.CommandRunner;
import dev.vigil.kits.process.Deadline;
import dev.vigil.kits.process.HostFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write check of a mounted filesystem: create {@code <mount-point>/.vigil-quickcheck}, write,
 * fsync and delete it — in the JVM, without a process, when the kit acts in the daemon's own mount
 * namespace; with {@code sh} behind the command prefix otherwise. A write to a hung device can
 * block its thread for good (uninterruptible sleep), so the write runs on the kit's own thread and
 * the check waits for it at most until its deadline. While a write that timed out is still blocked,
 * every later check fails at once instead of piling up threads behind it. The thread is started on
 * the first check and ends after a minute without one.
 */
public final class WriteProbe {
    private static final Logger LOG = LoggerFactory.getLogger(LogType.LOG.loggerName());
    /** The file the write check creates, syncs and deletes at the root of the mounted filesystem. */
    static final String FILE = ".vigil-quickcheck";
    private static final byte[] CONTENT = "vigil".getBytes(StandardCharsets.US_ASCII);
    private static final String NO_SPACE = "No space left on device";
    private static final Duration STEP = Duration.ofSeconds(10);
    private static final Duration IDLE = Duration.ofMinutes(1);

    private final String tag;
    private final String mountPoint;
    private final String file;
    private final CommandRunner runner;
    private final HostFiles files;
    private final ThreadPoolExecutor thread;
    /** The last write, while it has not returned after its check gave up on it. */
    private CompletableFuture<Optional<Failure>> blocked;
    private long blockedSince;

    public WriteProbe(String tag, String mountPoint, CommandRunner runner) {
        this.tag = tag;
        this.mountPoint = mountPoint;
        this.file = mountPoint.replaceAll("/+$", "") + "/" + FILE;
        this.runner = runner;
        this.files = new HostFiles(runner);
        this.thread = new ThreadPoolExecutor(1, 1, IDLE.toSeconds(), TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "vigil-fs-probe-" + tag);
            t.setDaemon(true);
            return t;
        });
        thread.allowCoreThreadTimeOut(true);
    }

    /** Writes the probe file within the deadline: empty when it worked (or the filesystem is full), else why not. */
    public synchronized Optional<Failure> write(Deadline d) {
        if (blocked != null && !blocked.isDone()) {
            return timedOut("previous write check of " + mountPoint + " still blocked after " + millisSince(blockedSince)
                    + " ms (device hung?)");
        }
        blocked = null;
        if (d.expired()) {
            return timedOut("write check of " + mountPoint + " not started: no time left");
        }
        long start = System.nanoTime();
        CompletableFuture<Optional<Failure>> write = CompletableFuture.supplyAsync(
                () -> files.inJvm() ? writeInJvm() : writeWithShell(d), thread);
        try {
            return write.get(d.remaining().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            giveUp(write, start);
            return timedOut("write check of " + mountPoint + " did not complete within " + d.total().toMillis()
                    + " ms (device hung?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            giveUp(write, start);
            return timedOut("write check of " + mountPoint + " interrupted after " + millisSince(start) + " ms");
        } catch (ExecutionException e) {
            throw new IllegalStateException("write check of " + mountPoint + " failed", e.getCause());
        }
    }

    private void giveUp(CompletableFuture<Optional<Failure>> write, long start) {
        blocked = write;
        blockedSince = start;
        write.whenComplete((failure, bug) -> LOG.warn("{}: the write check of {} that timed out returned after {} ms: {}",
                tag, mountPoint, millisSince(start), failure == null ? bug
                        : failure.map(Failure::reason).orElse("written")));
    }

    private Optional<Failure> writeInJvm() {
        Path probe = Path.of(file);
        FileChannel channel;
        try {
            channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            return failed(e);
        }
        try (channel) {
            ByteBuffer content = ByteBuffer.wrap(CONTENT);
            while (content.hasRemaining()) {
                channel.write(content);
            }
            channel.force(true);
        } catch (IOException e) {
            deleteQuietly(probe);
            return failed(e);
        }
        try {
            Files.delete(probe);
        } catch (IOException e) {
            return failed(e);
        }
        return Optional.empty();
    }

    private Optional<Failure> failed(IOException e) {
        String reason = HostFiles.reason(e);
        if (reason.equals(NO_SPACE)) {
            return full();
        }
        return Optional.of(new Failure(FailureKind.FAILED, "cannot write to " + mountPoint + ": " + file + ": " + reason));
    }

    /** coreutils' printf, not the shell's: dash reports every failed write as "I/O error", ENOSPC too. */
    private Optional<Failure> writeWithShell(Deadline d) {
        CommandResult write = runner.run(Command.of(d.cap(STEP), "sh", "-c",
                "env printf vigil > \"$1\" && sync \"$1\" && rm -f \"$1\"", "probe", file));
        if (write.succeeded()) {
            return Optional.empty();
        }
        if (write.output().contains(NO_SPACE)) {
            runner.run(Command.of(d.cap(STEP), "rm", "-f", file));
            return full();
        }
        return Optional.of(new Failure(write.timedOut() ? FailureKind.TIMED_OUT : FailureKind.FAILED,
                "cannot write to " + mountPoint + ": " + write.describe()));
    }

    private Optional<Failure> full() {
        LOG.warn("{}: {} is full; not a failure of the filesystem", tag, mountPoint);
        return Optional.empty();
    }

    private void deleteQuietly(Path probe) {
        try {
            Files.deleteIfExists(probe);
        } catch (IOException e) {
            LOG.warn("{}: cannot delete {}: {}", tag, probe, HostFiles.reason(e));
        }
    }

    private static Optional<Failure> timedOut(String reason) {
        return Optional.of(new Failure(FailureKind.TIMED_OUT, reason));
    }

    private static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }
}
