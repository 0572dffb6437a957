package dev.vigil.cli.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Processes a test starts, ended by their PID in {@link #close()} even when the test fails; and
 * the small scripts (fake vigild, fake systemctl) tests put in place of real programs.
 */
public final class Processes implements AutoCloseable {
    private final List<Long> pids = new ArrayList<>();

    /** Starts {@code command}, remembering its PID. Its stdin stays an open pipe until it ends. */
    public Process start(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            pids.add(p.pid());
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A process started elsewhere (by lkstart) that this test must end. */
    public void track(long pid) {
        pids.add(pid);
    }

    /** A process whose command line looks like a Vigil daemon's and that never answers. */
    public Process vigilLookingProcess() {
        return start("sh", "-c", "read line", "dev.vigil.test-daemon");
    }

    /** The java command that runs {@link FakeDaemon} with the test classpath. */
    public static String fakeDaemonCommand() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return "'" + System.getProperty("java.home") + "/bin/java' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '"
                + cp + "' " + FakeDaemon.class.getName();
    }

    /** Writes an executable shell script. */
    public static Path script(Path file, String body) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "#!/bin/sh\n" + body + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroy();
                try {
                    h.onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            });
        }
    }
}
