package dev.vigil.cli;

import dev.vigil.core.config.ConfigException;
import dev.vigil.core.config.ConfigLoader;
import dev.vigil.core.config.ConfigProblem;
import dev.vigil.core.config.VigilConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code -c/--config FILE} option every command shares, and loading that file: an unusable
 * configuration ends the command with every problem on its own line and exit code 2.
 */
public final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $VIGIL_CONF, else /etc/vigil/vigil.conf).")
    Path file;

    /** The file this command reads, after the -c / VIGIL_CONF / default rule. */
    public Path path(CliContext ctx) {
        return ctx.configFile(file);
    }

    public VigilConfig load(CliContext ctx) {
        return load(path(ctx));
    }

    public static VigilConfig load(Path path) {
        try {
            return ConfigLoader.load(path);
        } catch (ConfigException e) {
            throw CommandFailure.bare(ExitCode.USAGE, e.problems().stream().map(ConfigProblem::toString).toList());
        }
    }
}
