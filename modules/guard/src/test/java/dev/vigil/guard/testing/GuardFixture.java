package dev.vigil.guard.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.guard.GuardClient;
import dev.vigil.guard.GuardReply;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real guard process in a temporary directory, the processes a test starts for it to fence,
 * and the clean-up of all of them by PID, even when the test fails.
 */
public final class GuardFixture implements AutoCloseable {

    public final Path socket;
    public final Path pidFile;
    public final Path log;
    public final GuardClient client;
    private final List<Process> processes = new ArrayList<>();
    private Long guardPid;

    public GuardFixture(Path dir) {
        socket = dir.resolve("guard.sock");
        pidFile = dir.resolve("guard.pid");
        log = dir.resolve("guard.log");
        client = new GuardClient(socket, pidFile, log, "n1", GuardClient.Launch.ofThisJvm());
    }

    /** Starts the guard (and remembers its PID for the clean-up). */
    public void start() {
        ok(client.start(Duration.ofSeconds(20)));
        guardPid = client.runningGuard().orElseThrow();
    }

    public long guardPid() {
        return guardPid;
    }

    public void connect() {
        ok(client.connect());
    }

    /** Connects without asking for quiet FEEDs: every FEED's reply reaches the test. */
    public void connectAnswered() {
        ok(client.connect(dev.vigil.guard.fence.ProcStat.self().orElseThrow(), java.time.Duration.ofMillis(100), false));
    }

    public static GuardReply ok(GuardReply r) {
        assertTrue(r.ok(), r.message());
        return r;
    }

    /** A {@code sleep 600} standing in for a protected process, optionally with its working directory in a mount. */
    public Process sleep(Path cwd) throws IOException {
        return track(new ProcessBuilder("sleep", "600").directory(cwd.toFile()).start());
    }

    /** A JVM running {@code main} with the test classpath; its stdout can be read with {@link #awaitLine}. */
    public Process java(Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return track(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    public Process track(Process p) {
        processes.add(p);
        return p;
    }

    /** Reads the process's stdout until a line starting with one of the prefixes; returns that line. */
    public static String awaitLine(Process p, String... prefixes) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            for (String prefix : prefixes) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }
        return "EOF";
    }

    /** Polls every millisecond until the process has exited; returns System.nanoTime() then, or -1. */
    public static long awaitExit(Process p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                return System.nanoTime();
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return -1;
    }

    public String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        Long pid = guardPid != null ? guardPid : client.runningGuard().orElse(null);
        if (pid == null) {
            return;
        }
        Optional<ProcessHandle> guard = ProcessHandle.of(pid);
        if (guard.isEmpty() || !guard.get().isAlive()) {
            return;
        }
        boolean talking = client.connected() || client.connect().ok();
        boolean exited = talking && client.disarmAll().ok() && client.exitGuard().ok()
                && guard.get().onExit().completeOnTimeout(null, 5, TimeUnit.SECONDS).get() != null;
        if (!exited) {
            guard.get().destroyForcibly();
        }
        client.close();
    }
}
