package dev.vigil.kits.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.kits.TestHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {
    private final CommandRunner runner = CommandRunner.local();
    private final List<Long> started = new ArrayList<>();

    @AfterEach
    void killWhatTheTestStarted() {
        started.forEach(TestHost::kill);
    }

    @Test
    void capturesStdoutStderrAndExitCode() {
        CommandResult r = runner.run(Command.of(Duration.ofSeconds(5), "sh", "-c", "echo out; echo err >&2; exit 3"));
        assertEquals(3, r.exitCode());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        assertFalse(r.timedOut());
        assertFalse(r.succeeded());
        assertTrue(r.describe().contains("exited 3: out err"), r.describe());
    }

    @Test
    void timeoutKillsTheCommandAndEverythingItStarted() throws Exception {
        String script = "sleep 300 & echo child $!; setsid sleep 300 & echo detached $!; echo shell $$; wait";
        CommandResult r = runner.run(Command.of(Duration.ofMillis(700), "sh", "-c", script));
        assertTrue(r.timedOut());
        assertFalse(r.succeeded());
        List<Long> pids = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            pids.add(Long.parseLong(line.split(" ")[1]));
        }
        started.addAll(pids);
        assertEquals(3, pids.size(), "partial output is kept: " + r.stdout());
        for (long pid : pids) {
            assertTrue(TestHost.awaitGone(pid, 3000), "pid " + pid + " still runs after the timeout");
        }
        assertTrue(r.describe().contains("timed out after"), r.describe());
    }

    @Test
    void aBackgroundChildKeepingStdoutOpenDoesNotHoldTheRunner() {
        long t0 = System.nanoTime();
        CommandResult r = runner.run(Command.of(Duration.ofSeconds(10), "sh", "-c", "sleep 60 & echo $!"));
        started.add(Long.parseLong(r.stdout().trim()));
        assertTrue(r.succeeded(), r.describe());
        assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "the runner waited for the background child");
        assertFalse(TestHost.gone(started.get(0)), "a command that finished in time keeps its background children");
    }

    @Test
    void runsAsAnotherOsUser() {
        TestHost.require("running as another user");
        CommandResult r = runner.run(Command.of(Duration.ofSeconds(5), "id", "-un").asUser("nobody"));
        assertTrue(r.succeeded(), r.describe());
        assertEquals("nobody", r.stdout().trim());
    }

    @Test
    void aCommandAsTheDaemonsOwnUserRunsWithoutRunuser() {
        String self = System.getProperty("user.name");
        Command command = Command.of(Duration.ofSeconds(5), "id", "-un").asUser(self);
        assertFalse(runner.commandLine(command).contains("runuser"), runner.commandLine(command)::toString);
        CommandResult r = runner.run(command);
        assertTrue(r.succeeded(), r.describe());
        assertEquals(self, r.stdout().trim());
    }

    @Test
    void aMissingProgramIsAResultNotAnException() {
        CommandResult direct = runner.run(Command.of(Duration.ofSeconds(5), "/nonexistent/vigil-program"));
        assertEquals(CommandResult.NOT_STARTED, direct.exitCode());
        assertTrue(direct.programMissing(), direct.describe());
    }

    @Test
    void aMissingProgramBehindRunuserIsRecognised() {
        TestHost.require("running as another user");
        CommandResult r = runner.run(Command.of(Duration.ofSeconds(5), "/nonexistent/vigil-program").asUser("nobody"));
        assertTrue(r.programMissing(), r.describe());
    }

    @Test
    void theCommandPrefixGoesInFrontOfEveryCommand() {
        CommandRunner prefixed = new CommandRunner(List.of("env", "VIGIL_PREFIX_TEST=inside"));
        CommandResult r = prefixed.run(Command.of(Duration.ofSeconds(5), "sh", "-c", "echo $VIGIL_PREFIX_TEST"));
        assertEquals("inside", r.stdout().trim());
    }

    @Test
    void noTimeLeftMeansNotStarted() {
        CommandResult r = runner.run(Command.of(Duration.ZERO, "true"));
        assertTrue(r.timedOut());
        assertEquals("not started: no time left", r.stderr());
    }

    @Test
    void commandsRunWithTheCLocaleAndSbinOnThePath() {
        CommandResult r = runner.run(Command.of(Duration.ofSeconds(5), "sh", "-c", "echo $LC_ALL; echo $PATH"));
        assertTrue(r.stdout().startsWith("C\n"), r.stdout());
        assertTrue(r.stdout().contains("/usr/sbin"), r.stdout());
    }

    @Test
    void hugeOutputIsCappedNotBuffered() {
        CommandResult r = runner.run(Command.of(Duration.ofSeconds(10), "sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' x"));
        assertTrue(r.succeeded());
        assertTrue(r.stdout().length() < 70_000, "captured " + r.stdout().length());
        assertTrue(r.stdout().endsWith("[output truncated at 64 KiB]"));
    }
}
