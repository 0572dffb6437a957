package dev.vigil.cli;

/**
 * The exit codes of every command: the original product's LCD codes, so that operator scripts
 * written for it keep working.
 */
public final class ExitCode {
    public static final int OK = 0;
    /** A system call or an external program failed (spawning the daemon, systemctl, reading a file). */
    public static final int SYSTEM = 1;
    /** Wrong usage: a bad option or argument, or an unusable configuration. */
    public static final int USAGE = 2;
    /** A bug, or an answer from the daemon that this command does not understand. */
    public static final int INTERNAL = 3;
    /** The object named does not exist (server, hierarchy). */
    public static final int NOT_FOUND = 7;
    /** Communication with the daemon failed: it is not running or does not answer. */
    public static final int COMMUNICATION = 9;

    private ExitCode() {
    }
}
