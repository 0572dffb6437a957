package dev.vigil.cli;

import java.util.List;

/**
 * Ends a command with an exit code and the lines an operator reads on stderr. Commands throw it
 * from deep inside a step (loading the config, calling the admin API) so each command reads as
 * its happy path; {@link Main} prints it, prefixed with the command's name unless {@code bare}.
 * It never carries a stack trace: it is an expected outcome, not a bug.
 */
public final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final transient List<String> lines;
    private final boolean bare;

    private CommandFailure(int exitCode, List<String> lines, boolean bare) {
        super(String.join("\n", lines), null, false, false);
        this.exitCode = exitCode;
        this.lines = List.copyOf(lines);
        this.bare = bare;
    }

    /** A one-line failure printed as {@code <command>: <message>}. */
    public static CommandFailure of(int exitCode, String message) {
        return new CommandFailure(exitCode, List.of(message), false);
    }

    /** Lines printed exactly as given (config problems, the fixed "not running" sentence). */
    public static CommandFailure bare(int exitCode, List<String> lines) {
        return new CommandFailure(exitCode, lines, true);
    }

    public int exitCode() {
        return exitCode;
    }

    public List<String> lines() {
        return lines;
    }

    public boolean bare() {
        return bare;
    }
}
