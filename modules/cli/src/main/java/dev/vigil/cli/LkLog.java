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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lk_log TYPE}: prints one of the seven logs to stdout, oldest line first, so an operator
 * can page it or redirect it to a file. It reads the files in {@code logs.dir} directly and
 * works without the daemon. With {@code -f} ({@code vigil log TYPE -f}) it then prints the lines
 * added to the log as they come, like {@code tail -f}, across the log's roll-overs, until it is
 * interrupted (Ctrl-C).
 */
@Command(name = "lk_log", sortOptions = false, customSynopsis = "${COMMAND-FULL-NAME} [-c FILE] [-f] TYPE", separator = " ",
        description = {"Print a Vigil log to standard output: its rolled files oldest first, then the current file.",
                "TYPE is one of: log, LCD, LCM, TTYLCM, \"remote exec\", GUI, SNMP "
                        + "(\"remote exec\" may also be given as two words, or as remote-exec)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:log printed (nothing for an empty or missing log); with -f, interrupted",
                "1:a log file cannot be read",
                "2:unknown log type, bad option or unusable configuration"})
public final class LkLog implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    HelpOption help;

    @Mixin
    ConfigOption config;

    @Option(names = {"-f", "--follow"}, description = "Then print the lines added to the log as they come, until "
            + "interrupted (Ctrl-C).")
    boolean follow;

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
        Path current = dir.resolve(type.fileName());
        long printed = 0;
        for (Path f : files) {
            try (Reader in = new InputStreamReader(Files.newInputStream(f), StandardCharsets.UTF_8)) {
                long chars = in.transferTo(ctx.out());
                if (f.equals(current)) {
                    printed = chars;
                }
            } catch (NoSuchFileException e) {
                // Rolled away between listing and reading: its lines are in the next file.
            } catch (IOException e) {
                throw CommandFailure.of(ExitCode.SYSTEM, "cannot read " + f + ": " + IoReason.of(e));
            }
        }
        if (follow) {
            new LogFollower(current, ctx.out()).follow(utf8Bytes(current, printed));
        }
        return ExitCode.OK;
    }

    /** How many bytes the first {@code chars} characters of {@code file} take (what was printed of it). */
    private static long utf8Bytes(Path file, long chars) {
        try (Reader in = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
            StringBuilder b = new StringBuilder();
            char[] buf = new char[8192];
            long left = chars;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                b.append(buf, 0, n);
                left -= n;
            }
            return b.toString().getBytes(StandardCharsets.UTF_8).length;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String validTypes() {
        return LogType.typeNames().stream().map(n -> n.contains(" ") ? "\"" + n + "\"" : n)
                .collect(Collectors.joining(", "));
    }
}
