package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.cli.testing.CliRun;
import dev.vigil.cli.testing.CliRun.Result;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class MainTest {

    @Test
    void anUnknownCommandExits2ListingTheCommands() {
        Result r = CliRun.of("lkfoo");
        assertEquals(2, r.exit());
        assertEquals("vigil-cli: unknown command 'lkfoo'; commands: lkstart, lkstop, lcdstatus, lk_log, perform_action,"
                + " lcdremexec, lkpasswd, lkGUIserver, lkGUIapp, lk_configsnmp, vigil\n", r.err());
    }

    @Test
    void noCommandAtAllExits2() {
        Result r = CliRun.of();
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("vigil-cli: missing command; commands: "), r::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lkstart", "lkstop", "lcdstatus", "lk_log", "lcdremexec", "lk_configsnmp", "vigil", "vigil check-config",
            "vigil status", "vigil log", "vigil switchover", "vigil demo"})
    void everyCommandPrintsItsHelpWithExitStatusesAndExits0(String command) {
        Result r = CliRun.of((command + " --help").split(" "));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("Usage: " + command + " "), r::toString);
        assertTrue(r.out().contains("Exit status:"), r::toString);
        assertEquals("", r.err());
    }

    @Test
    void theUmbrellaWithoutACommandOrWithAnUnknownOneIsAUsageError() {
        Result none = CliRun.of("vigil");
        assertEquals(2, none.exit());
        assertTrue(none.err().startsWith("vigil: missing command: one of check-config, status, shutdown-strategy,"
                + " maintenance, log, switchover, demo\n"), none::toString);
        Result unknown = CliRun.of("vigil", "restart");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().startsWith("vigil: Unmatched argument at index 0: 'restart'\n"), unknown::toString);
    }

    @Command(name = "buggy")
    static final class Buggy implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("a bug");
        }
    }

    @Test
    void aBugInACommandIsOneLineWithExit3NotAStackTrace() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext ctx = new CliContext(new PrintWriter(out), new PrintWriter(err), Map.of(),
                new ServiceManager(Path.of("/nonexistent"), "systemctl"), ZoneId.of("UTC"));
        int code = Main.execute(new CommandLine(new Buggy()), new String[0], ctx);
        assertEquals(3, code);
        assertEquals("buggy: internal error: java.lang.IllegalStateException: a bug\n", err.toString());
    }
}
