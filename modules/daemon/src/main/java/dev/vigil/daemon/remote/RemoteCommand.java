package dev.vigil.daemon.remote;

import dev.vigil.kits.process.Command;
import dev.vigil.kits.process.CommandResult;
import dev.vigil.kits.process.CommandRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a remote exec request runs on its target server: its words as an argument vector (no
 * shell parses them), through the kits' {@link CommandRunner} (own session, stdin from
 * /dev/null, working directory /, output captured up to 64 KiB per stream, the whole process
 * tree killed at the timeout), with {@code VIGIL_CONF} naming this server's configuration file
 * and the distribution's {@code bin/} first on the PATH, so that {@code perform_action} or
 * {@code lcdstatus} run as the commands of this server. A fixed {@code sh} script in front only
 * prepends to PATH and, when asked, sends stderr into stdout; it never sees the words as code.
 */
public final class RemoteCommand {
    /** What the wrapper is called in error messages of {@code sh} ("lcdremexec: foo: not found"). */
    private static final String NAME = "lcdremexec";

    private final CommandRunner runner;
    private final Path configFile;
    private final Optional<Path> vigilHome;

    /**
     * @param configFile this server's main configuration file
     * @param vigilHome  the installation (its {@code bin/} goes first on the PATH); empty when unknown
     */
    public RemoteCommand(CommandRunner runner, Path configFile, Optional<Path> vigilHome) {
        this.runner = runner;
        this.configFile = configFile.toAbsolutePath();
        this.vigilHome = vigilHome.map(Path::toAbsolutePath);
    }

    /** The installation the daemon was started from: the {@code vigil.home} property the bin scripts set. */
    public static Optional<Path> daemonHome() {
        String home = System.getProperty("vigil.home");
        return home == null || home.isBlank() ? Optional.empty() : Optional.of(Path.of(home));
    }

    /** Runs {@code argv}; the result says whether it timed out, its exit code and output. Blocks. */
    public CommandResult run(List<String> argv, Duration timeout, boolean mergeStderr) {
        return runner.run(Command.of(timeout, commandLine(argv, mergeStderr)));
    }

    /** The argument vector actually run: env, the sh wrapper, then the words unchanged. */
    List<String> commandLine(List<String> argv, boolean mergeStderr) {
        List<String> full = new ArrayList<>();
        full.add("env");
        full.add("VIGIL_CONF=" + configFile);
        vigilHome.ifPresent(home -> full.add("VIGIL_HOME=" + home));
        full.add("sh");
        full.add("-c");
        String path = vigilHome.isPresent() ? "PATH=\"$VIGIL_HOME/bin:$PATH\"; export PATH; " : "";
        full.add(path + "exec \"$@\"" + (mergeStderr ? " 2>&1" : ""));
        full.add(NAME);
        full.addAll(argv);
        return full;
    }

    /** The words as an operator would type them, for the logs. */
    public static String display(List<String> argv) {
        return Command.of(Duration.ZERO, argv).display();
    }
}
