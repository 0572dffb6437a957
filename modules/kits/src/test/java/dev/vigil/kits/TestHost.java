package dev.vigil.kits;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the tests need from the machine: root, programs, a quick way to run a setup command. */
public final class TestHost {
    private TestHost() {
    }

    public static boolean isRoot() {
        try {
            return new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8).trim().equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    /** Skips the test (one line) unless we are root and every program is installed. */
    public static void require(String why, String... programs) {
        assumeTrue(isRoot(), "skipped: " + why + " needs root");
        for (String p : programs) {
            assumeTrue(found(p), "skipped: " + why + " needs " + p + " (apt-get install -y the package that has it)");
        }
    }

    public static boolean found(String program) {
        if (program.startsWith("/")) {
            return Files.isExecutable(Path.of(program));
        }
        for (String dir : List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a setup command and returns its stdout; throws when it fails (setup is not under test). */
    public static String sh(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", argv) + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " exited " + p.exitValue() + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a cleanup command, ignoring failure: cleanup must go on. */
    public static void quietly(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            // nothing to clean up with a program that does not exist
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True when the PID no longer runs: no /proc entry, or a zombie waiting for init to reap it. */
    public static boolean gone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'Z' || state == 'X';
        } catch (IOException e) {
            return true;
        }
    }

    /** Waits up to {@code millis} for the PID to be gone. */
    public static boolean awaitGone(long pid, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!gone(pid) && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        return gone(pid);
    }

    /** SIGKILL by PID for cleanup of a process a test started. */
    public static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
}
