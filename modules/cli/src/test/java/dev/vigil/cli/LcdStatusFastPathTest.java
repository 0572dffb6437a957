package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every argument list the picocli-free path of {@code lcdstatus} accepts means what picocli makes
 * of it; everything else is left to picocli (and its messages).
 */
class LcdStatusFastPathTest {
    private final CliContext ctx = new CliContext(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
            Map.of(), new ServiceManager(Path.of("/nonexistent"), "systemctl"), ZoneId.of("UTC"));

    private static List<Object> fields(LcdStatus c) {
        return Arrays.asList(c.quick, c.backups, c.server, c.rootTag, c.config.file);
    }

    @Test
    void theFormsScriptsUseMeanWhatPicocliMakesOfThem() {
        String[][] accepted = {
            {}, {"-q"}, {"-e"}, {"-q", "-e"}, {"-e", "-q", "-d", "n2"}, {"-r", "powergres-/share/data", "-q"},
            {"-c", "/etc/vigil/vigil.conf", "-q"}, {"--config", "x.conf"}, {"-d", "n3", "-r", "pg", "-e", "-c", "a b.conf"},
        };
        for (String[] args : accepted) {
            LcdStatus fast = LcdStatusFastPath.parse(args, ctx);
            assertNotNull(fast, () -> "fast path refused " + List.of(args));
            LcdStatus picocli = new LcdStatus(ctx);
            new CommandLine(picocli).parseArgs(args);
            assertEquals(fields(picocli), fields(fast), () -> "for " + List.of(args));
        }
    }

    @Test
    void helpErrorsAndUnusualSpellingsAreLeftToPicocli() {
        String[][] refused = {
            {"-h"}, {"--help"}, {"-q", "-q"}, {"-qe"}, {"-dn2"}, {"-d"}, {"-d", "-q"}, {"-d", ""}, {"-c", "@args"},
            {"--config=x.conf"}, {"-c", "a", "--config", "b"}, {"-d", "n1", "-d", "n2"}, {"-r", "a", "-r", "b"},
            {"--", "-q"}, {"extra"}, {"-x"}, {"-c", "bad\0path"},
        };
        for (String[] args : refused) {
            assertNull(LcdStatusFastPath.parse(args, ctx), () -> "fast path accepted " + List.of(args));
        }
    }
}
