package dev.vigil.kits.process;

import java.time.Duration;
import java.util.Locale;

/**
 * What a finished (or killed) command left: exit code, captured output and whether it ran out of
 * time. A command that could not be started at all has exit code 127 and the reason in stderr.
 */
public record CommandResult(String command, int exitCode, String stdout, String stderr, boolean timedOut,
                            Duration elapsed) {

    /** Exit code used when the program could not be started (the shell's "command not found"). */
    public static final int NOT_STARTED = 127;

    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    /** stdout and stderr together, trimmed: what an operator wants to see in a message. */
    public String output() {
        String out = stdout.strip();
        String err = stderr.strip();
        if (out.isEmpty()) {
            return err;
        }
        return err.isEmpty() ? out : out + "\n" + err;
    }

    /**
     * True when the program (or the one a wrapper such as runuser or {@code ip netns exec} was to
     * run) does not exist or may not be executed.
     */
    public boolean programMissing() {
        if (timedOut) {
            return false;
        }
        String err = stderr.toLowerCase(Locale.ROOT);
        boolean execFailed = err.contains("failed to execute") || err.contains("exec of")
                || err.contains("cannot run program") || err.contains("command not found");
        return exitCode == NOT_STARTED || exitCode == 126
                || (execFailed && (err.contains("no such file") || err.contains("permission denied")
                || err.contains("not found")));
    }

    /**
     * The reason at the end of the last line of stderr, as the C library words it:
     * "blockdev: cannot open /dev/loop7: No such device or address" gives "No such device or address".
     */
    public String errorReason() {
        String line = stderr.strip().lines().reduce((a, b) -> b).orElse("");
        int colon = line.lastIndexOf(": ");
        return colon < 0 ? line : line.substring(colon + 2);
    }

    /** One line for messages: "`cmd` exited 2: <output>" or "`cmd` timed out after 5.0 s: <partial output>". */
    public String describe() {
        String what = timedOut
                ? "`" + command + "` timed out after " + seconds(elapsed)
                : "`" + command + "` exited " + exitCode;
        String out = output().replace('\n', ' ');
        if (out.length() > 400) {
            out = out.substring(0, 400) + "…";
        }
        return out.isEmpty() ? what : what + ": " + out;
    }

    /** "2.5 s" — the way every kit message prints a duration. */
    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
