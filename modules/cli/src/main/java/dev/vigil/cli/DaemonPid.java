package dev.vigil.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The daemon's pid file ({@code <state-dir>/vigil.pid}) and the process it names. A pid file can
 * outlive its daemon (a crash, a reboot), and its number can by then belong to any process, so
 * a pid only counts as the daemon's when that process is alive and its command line is a
 * Vigil one.
 */
public final class DaemonPid {
    public static final String FILE_NAME = "vigil.pid";
    private static final String VIGIL_MARK = "dev.vigil.";

    private DaemonPid() {
    }

    public static Path file(Path stateDir) {
        return stateDir.resolve(FILE_NAME);
    }

    /** The pid in the file, if the file exists and holds a number. */
    public static OptionalLong read(Path stateDir) {
        return readFile(file(stateDir));
    }

    /** The pid in {@code pidFile} (the daemon's, the GUI server's), if the file exists and holds a number. */
    public static OptionalLong readFile(Path pidFile) {
        try {
            String text = Files.readString(pidFile).trim();
            return OptionalLong.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The pid of a live Vigil daemon named by the pid file, if there is one. */
    public static OptionalLong live(Path stateDir) {
        OptionalLong pid = read(stateDir);
        return pid.isPresent() && isVigil(pid.getAsLong()) ? pid : OptionalLong.empty();
    }

    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Alive, and a Vigil JVM (or a process whose command line this user cannot see). */
    public static boolean isVigil(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            return false;
        }
        Optional<String> commandLine = commandLine(handle.get());
        return commandLine.isEmpty() || commandLine.get().contains(VIGIL_MARK);
    }

    /**
     * The whole command line from /proc: the JDK's {@code ProcessHandle.Info} cuts it at 4096
     * bytes, before the main class of a JVM started with a long class path (the fencing guard).
     */
    private static Optional<String> commandLine(ProcessHandle process) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            if (raw.length > 0) {
                return Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' '));
            }
        } catch (IOException e) {
            // Not readable here (another user's process under hidepid): as the JDK sees it.
        }
        return process.info().commandLine();
    }

    /** Waits until {@code pid} has exited; false if it is still alive after {@code timeout}. */
    public static boolean awaitExit(long pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Sleep.brief();
        }
        return true;
    }
}
