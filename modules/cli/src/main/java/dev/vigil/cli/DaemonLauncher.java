package dev.vigil.cli;

import dev.vigil.cli.AdminReply.Answered;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Starting {@code bin/vigild} directly, without systemd: in its own session ({@code setsid}), stdin
 * from /dev/null, its output appended to {@code <state-dir>/daemon.out}; then waiting until its
 * admin API answers. {@code lkstart} starts one daemon this way, {@code vigil demo} three.
 */
public final class DaemonLauncher {
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);

    private DaemonLauncher() {
    }

    /** {@code $VIGIL_HOME/bin/vigild}, or the failure that says why there is none ({@code command}: who asks). */
    public static Path vigild(CliContext ctx, String command) {
        Path vigild = ctx.vigilHome().orElseThrow(() -> CommandFailure.of(ExitCode.SYSTEM,
                "VIGIL_HOME is not set; run " + command + " from the installation's bin directory")).resolve("bin/vigild");
        if (!Files.isExecutable(vigild)) {
            throw CommandFailure.of(ExitCode.SYSTEM, vigild + " is missing or not executable");
        }
        return vigild;
    }

    /** A daemon process just started, and where its words of this start begin in daemon.out. */
    public record Launched(Process process, Path output, long offset) {
        /** For a daemon that has exited: its exit code and what it wrote. */
        public String exitReport() {
            return "the daemon exited with code " + process.exitValue() + ":\n" + outputSinceStart().stripTrailing();
        }

        /** What the daemon appended to daemon.out since it was started. */
        public String outputSinceStart() {
            try (InputStream in = Files.newInputStream(output)) {
                in.skipNBytes(offset);
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return text.isBlank() ? "(it wrote nothing to " + output + ")" : text;
            } catch (IOException e) {
                return "(cannot read " + output + ": " + e.getMessage() + ")";
            }
        }
    }

    /** Starts {@code vigild --config FILE} in the background; returns at once. */
    public static Launched launch(Path vigild, Path configFile, Path stateDir) {
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw CommandFailure.of(ExitCode.SYSTEM, "cannot create the state directory " + stateDir + ": "
                    + IoReason.of(e));
        }
        Path daemonOut = stateDir.resolve("daemon.out");
        try {
            long offset = Files.exists(daemonOut) ? Files.size(daemonOut) : 0;
            Process process = new ProcessBuilder("setsid", vigild.toString(), "--config", configFile.toAbsolutePath().toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(daemonOut.toFile()))
                    .start();
            return new Launched(process, daemonOut, offset);
        } catch (IOException e) {
            throw CommandFailure.of(ExitCode.SYSTEM, "cannot start " + vigild + ": " + e.getMessage());
        }
    }

    /**
     * Waits until the daemon's admin API answers: true then, false when {@code wait} ran out with
     * the daemon still running. A daemon that exits meanwhile ends the command with its own words.
     */
    public static boolean awaitAnswer(Launched daemon, AdminClient api, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (api.get(AdminClient.STATUS, POLL_TIMEOUT) instanceof Answered) {
                return true;
            }
            if (!daemon.process().isAlive()) {
                throw CommandFailure.of(ExitCode.SYSTEM, daemon.exitReport());
            }
            Sleep.brief();
        }
        return false;
    }
}
