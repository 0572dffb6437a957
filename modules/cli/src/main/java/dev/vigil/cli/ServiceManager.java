package dev.vigil.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Whether the daemon starts at boot: the {@code vigil.service} systemd unit, enabled by
 * {@code lkstop -r} and disabled by a plain {@code lkstop} (the original's "stays stopped across
 * a reboot"). Systemd counts as running when {@code /run/systemd/system} exists, the test
 * {@code sd_booted(3)} uses.
 */
public final class ServiceManager {
    public static final String UNIT = "vigil.service";
    private static final long TIMEOUT_SECONDS = 30;

    private final Path systemdMarker;
    private final String systemctl;

    public ServiceManager(Path systemdMarker, String systemctl) {
        this.systemdMarker = systemdMarker;
        this.systemctl = systemctl;
    }

    public static ServiceManager system() {
        return new ServiceManager(Path.of("/run/systemd/system"), "systemctl");
    }

    public boolean systemdRunning() {
        return Files.isDirectory(systemdMarker);
    }

    /** {@code systemctl enable vigil.service}. */
    public Outcome enable() {
        return systemctl("enable");
    }

    /** {@code systemctl disable vigil.service}. */
    public Outcome disable() {
        return systemctl("disable");
    }

    /** What a systemctl run came to: success, or why not (its own output, or why it could not run). */
    public record Outcome(boolean ok, String command, String message) {
    }

    private Outcome systemctl(String verb) {
        String command = "systemctl " + verb + " " + UNIT;
        Path output = null;
        try {
            // Output goes to a file, not a pipe, so a hung systemctl cannot block us past the timeout.
            output = Files.createTempFile("vigil-systemctl", ".out");
            Process p = new ProcessBuilder(systemctl, verb, UNIT).redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Outcome(false, command, "no answer within " + TIMEOUT_SECONDS + " s");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8).strip().replace('\n', ' ');
            if (p.exitValue() != 0) {
                return new Outcome(false, command, "exit code " + p.exitValue() + (text.isEmpty() ? "" : ": " + text));
            }
            return new Outcome(true, command, text);
        } catch (IOException e) {
            return new Outcome(false, command, "cannot run " + systemctl + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, command, "interrupted");
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // A leftover temp file is harmless.
                }
            }
        }
    }
}
