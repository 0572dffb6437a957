package dev.vigil.cli;

import dev.vigil.core.LogType;
import dev.vigil.core.config.VigilConfig;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code lk_log TYPE}: prints one of the seven logs to stdout, oldest line first, so an operator
 * can page it or redirect it to a file. It reads the files in {@code logs.dir} directly and
 * works without the daemon.
 */
@Command(name = "lk_log", sortOptions = false, customSynopsis = "${COMMAND-FULL-NAME} [-c FILE] TYPE", separator = " ",
        description = {"Print a Vigil log to standard output: its rolled files oldest first, then the current file.",
                "TYPE is one of: log, LCD, LCM, TTYLCM, \"remote exec\", GUI, SNMP "
                        + "(\"remote exec\" may also be given as two words, or as remote-exec)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:log printed (nothing for an empty or missing log)", "1:a log file cannot be read",
                "2:unknown log type, bad option or unusable configuration"})
public final class LkLog implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    HelpOption help;

    @Mixin
    ConfigOption config;

    @Parameters(arity = "1..*", paramLabel = "TYPE", description = "The log to print.")
    List<String> words;

    public LkLog(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        String name = String.join(" ", words);
        LogType type = LogType.fromTypeName(name).orElseThrow(() -> CommandFailure.of(ExitCode.USAGE,
                "unknown log type '" + name + "'; valid types: " + validTypes()));
        VigilConfig c = config.load(ctx);
        Path dir = c.logs().dir();
        List<Path> files;
        try {
            files = LogFiles.inReadingOrder(dir, type);
        } catch (IOException e) {
            throw CommandFailure.of(ExitCode.SYSTEM, "cannot list the log directory " + dir + ": " + IoReason.of(e));
        }
        for (Path f : files) {
            try (Reader in = new InputStreamReader(Files.newInputStream(f), StandardCharsets.UTF_8)) {
                in.transferTo(ctx.out());
            } catch (NoSuchFileException e) {
                // Rolled away between listing and reading: its lines are in the next file.
            } catch (IOException e) {
                throw CommandFailure.of(ExitCode.SYSTEM, "cannot read " + f + ": " + IoReason.of(e));
            }
        }
        return ExitCode.OK;
    }

    private static String validTypes() {
        return LogType.typeNames().stream().map(n -> n.contains(" ") ? "\"" + n + "\"" : n)
                .collect(Collectors.joining(", "));
    }
}
