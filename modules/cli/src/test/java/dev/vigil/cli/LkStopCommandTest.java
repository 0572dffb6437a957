package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.cli.testing.CliRun;
import dev.vigil.cli.testing.CliRun.Result;
import dev.vigil.cli.testing.FakeAdminApi;
import dev.vigil.cli.testing.Processes;
import dev.vigil.cli.testing.StatusFixtures;
import dev.vigil.cli.testing.TestConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * lkstop against the admin API ({@link FakeAdminApi}) with a real process standing in for the
 * daemon's PID: a shell whose command line looks like Vigil's, ended when the shutdown arrives.
 */
class LkStopCommandTest {
    private static final String TOKEN = "ab".repeat(32);
    private static final String SHOW = "show --property=LoadState,ActiveState,MainPID,ExecStart vigil.service";

    @TempDir
    Path dir;

    private final Processes processes = new Processes();
    private FakeAdminApi api;
    private TestConfig config;
    private String conf;
    private Process daemon;

    @BeforeEach
    void startDaemonStandIn() throws Exception {
        api = FakeAdminApi.start(0, TOKEN, StatusFixtures.threeServers());
        config = TestConfig.write(dir, api.port());
        conf = config.file.toString();
        Files.createDirectories(config.stateDir);
        Files.writeString(config.tokenFile, TOKEN);
        daemon = processes.vigilLookingProcess();
        Files.writeString(config.stateDir.resolve("vigil.pid"), daemon.pid() + "\n");
        api.onShutdown(daemon::destroy);
    }

    @AfterEach
    void cleanUp() {
        api.close();
        processes.close();
    }

    /** A systemd that runs, with a systemctl that logs its arguments and exits {@code code} saying {@code says}. */
    private CliRun withSystemd(int code, String says) throws Exception {
        Path marker = Files.createDirectories(dir.resolve("run/systemd/system"));
        Path systemctl = Processes.script(dir.resolve("bin/systemctl"),
                "echo \"$*\" >> '" + dir.resolve("systemctl.log") + "'\necho '" + says + "'\nexit " + code);
        return new CliRun().services(new ServiceManager(marker, systemctl.toString()));
    }

    private List<String> systemctlCalls() throws Exception {
        Path log = dir.resolve("systemctl.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-n -f", "-n -r", "-nf", "-r -n"})
    void nCannotBeCombinedWithFOrR(String options) {
        String[] args = ("lkstop " + options + " -c " + conf).split(" ");
        Result r = CliRun.of(args);
        assertEquals(2, r.exit());
        assertEquals("""
                lkstop: -n cannot be combined with -f or -r
                Usage: lkstop [-f | -n | -r] [-c FILE]
                Try 'lkstop --help' for more information.
                """, r.err());
        assertEquals(List.of(), api.shutdownModes());
    }

    @Test
    void plainLkstopTakesResourcesOutOfServiceAndWaitsForTheDaemonToEnd() throws Exception {
        // The stand-in ends 300 ms after the shutdown request, as a daemon stopping its resources would.
        api.onShutdown(() -> new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            daemon.destroy();
        }).start());
        Result r = CliRun.of("lkstop", "-c", conf);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("Vigil stopped on server n1.\n", r.out());
        assertEquals(List.of("remove"), api.shutdownModes());
        // Ended as the kernel sees it: gone or a zombie. The JDK's own Process.isAlive() turns
        // false only once its reaper thread has collected the exit status, which may come later.
        assertTrue(ended(daemon.pid()), "lkstop returned while the daemon still ran");
    }

    /** No such process, or one that has exited and waits for its parent to collect it. */
    private static boolean ended(long pid) throws Exception {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return true;
        }
        try {
            String text = Files.readString(stat);
            return text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.nio.file.NoSuchFileException e) {
            return true;
        }
    }

    @Test
    void fLeavesTheResourcesRunning() {
        Result r = CliRun.of("lkstop", "-f", "-c", conf);
        assertEquals(0, r.exit(), r::toString);
        assertEquals(List.of("leave-running"), api.shutdownModes());
    }

    @Test
    void nSwitchesTheResourcesOver() {
        Result r = CliRun.of("lkstop", "-n", "-c", conf);
        assertEquals(0, r.exit(), r::toString);
        assertEquals(List.of("switchover"), api.shutdownModes());
    }

    @Test
    void withoutAPidFileItWaitsUntilTheApiStopsAnswering() throws Exception {
        Files.delete(config.stateDir.resolve("vigil.pid"));
        api.onShutdown(() -> new Thread(api::close).start());
        Result r = CliRun.of("lkstop", "-c", conf);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("Vigil stopped on server n1.\n", r.out());
    }

    @Test
    void aDaemonThatIsNotRunningIsReportedAsSuchWithExit0() throws Exception {
        TestConfig down = TestConfig.write(Files.createDirectories(dir.resolve("down")), TestConfig.freePort());
        Result r = CliRun.of("lkstop", "-c", down.file.toString());
        assertEquals(0, r.exit(), r::toString);
        assertEquals("Vigil is not running on server n1.\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void aDaemonProcessWhoseApiDoesNotAnswerIsNamedWithItsPidAndExit9() throws Exception {
        TestConfig down = TestConfig.write(Files.createDirectories(dir.resolve("hung")), TestConfig.freePort());
        Files.createDirectories(down.stateDir);
        Files.writeString(down.stateDir.resolve("vigil.pid"), Long.toString(daemon.pid()));
        Result r = CliRun.of("lkstop", "-c", down.file.toString());
        assertEquals(9, r.exit());
        assertEquals("lkstop: the daemon (pid " + daemon.pid() + ") runs but its admin API does not answer "
                + "(nothing listens on 127.0.0.1:" + down.adminPort + "); stop it with: kill " + daemon.pid() + "\n", r.err());
        assertTrue(daemon.isAlive());
    }

    @Test
    void rWithoutSystemdFailsBeforeStoppingAnything() {
        Result r = CliRun.of("lkstop", "-r", "-c", conf);
        assertEquals(1, r.exit());
        assertEquals("lkstop: cannot make Vigil start at boot (-r): systemd is not running on this server; "
                + "nothing was stopped\n", r.err());
        assertEquals(List.of(), api.shutdownModes());
        assertTrue(daemon.isAlive());
    }

    @Test
    void rEnablesTheServiceThenStops() throws Exception {
        Result r = withSystemd(0, "Created symlink.").run("lkstop", "-r", "-c", conf);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("Vigil will start at boot on server n1 (systemctl enable vigil.service).\n"
                + "Vigil stopped on server n1.\n", r.out());
        // show: lkstop asks whether vigil.service runs this daemon (this systemctl says no unit is loaded).
        assertEquals(List.of(SHOW, "enable vigil.service", SHOW), systemctlCalls());
        assertEquals(List.of("remove"), api.shutdownModes());
    }

    @Test
    void rWhenSystemctlFailsShowsItsMessageAndStopsNothing() throws Exception {
        Result r = withSystemd(1, "Failed to enable unit: Unit file vigil.service does not exist.")
                .run("lkstop", "-r", "-c", conf);
        assertEquals(1, r.exit());
        assertEquals("lkstop: cannot make Vigil start at boot (-r), so nothing was stopped: systemctl enable "
                + "vigil.service failed: exit code 1: Failed to enable unit: Unit file vigil.service does not exist.\n",
                r.err());
        assertEquals(List.of(), api.shutdownModes());
        assertTrue(daemon.isAlive());
    }

    @Test
    void withoutRAndWithSystemdStartAtBootIsDisabled() throws Exception {
        Result r = withSystemd(0, "Removed symlink.").run("lkstop", "-f", "-c", conf);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("Vigil will not start at boot on server n1 (systemctl disable vigil.service).\n"
                + "Vigil stopped on server n1.\n", r.out());
        assertEquals(List.of(SHOW, "disable vigil.service", SHOW), systemctlCalls());
    }

    @Test
    void aServiceThatRunsAnotherConfigurationIsLeftAsItIs() throws Exception {
        Path marker = Files.createDirectories(dir.resolve("run/systemd/system"));
        Path systemctl = Processes.script(dir.resolve("bin/systemctl"), "echo \"$*\" >> '" + dir.resolve("systemctl.log")
                + "'\nprintf 'LoadState=loaded\\nActiveState=active\\nMainPID=1\\nExecStart={ path=/opt/vigil/bin/vigild ; "
                + "argv[]=/opt/vigil/bin/vigild --config /etc/vigil/vigil.conf ; }\\n'\n");
        CliRun run = new CliRun().services(new ServiceManager(marker, systemctl.toString()));
        Result r = run.run("lkstop", "-f", "-c", conf);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("vigil.service runs /etc/vigil/vigil.conf, not " + conf + ": its start at boot is left as it is.\n"
                + "Vigil stopped on server n1.\n", r.out());
        assertFalse(systemctlCalls().stream().anyMatch(c -> c.startsWith("disable") || c.startsWith("stop")),
                systemctlCalls().toString());

        Result refused = new CliRun().services(new ServiceManager(marker, systemctl.toString())).run("lkstop", "-r", "-c", conf);
        assertEquals(1, refused.exit());
        assertEquals("lkstop: cannot make Vigil start at boot (-r): vigil.service runs /etc/vigil/vigil.conf, not " + conf
                + "; nothing was stopped\n", refused.err());
    }

    @Test
    void aFailingDisableIsAWarningAndTheDaemonStillStops() throws Exception {
        Result r = withSystemd(1, "Failed to disable unit: Access denied").run("lkstop", "-c", conf);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("lkstop: warning: Vigil may still start at boot: systemctl disable vigil.service failed: "
                + "exit code 1: Failed to disable unit: Access denied\n", r.err());
        assertEquals("Vigil stopped on server n1.\n", r.out());
    }

    @Test
    void aDaemonThatRefusesToStopIsQuotedWithExit1() {
        api.refuseShutdown(409, "a switchover of powergres-/share/data is in progress");
        Result r = CliRun.of("lkstop", "-n", "-c", conf);
        assertEquals(1, r.exit());
        assertEquals("lkstop: the daemon refused to stop (HTTP 409): a switchover of powergres-/share/data is in "
                + "progress\n", r.err());
        assertTrue(daemon.isAlive());
    }

    @Test
    void aMissingTokenFileIsReportedWithExit1() throws Exception {
        Files.delete(config.tokenFile);
        Result r = CliRun.of("lkstop", "-c", conf);
        assertEquals(1, r.exit());
        assertEquals("lkstop: cannot read the admin token file " + config.tokenFile
                + ": no such file (the daemon writes it at start)\n", r.err());
        assertTrue(daemon.isAlive());
    }

    @Test
    void aDaemonThatDoesNotEndInTimeIsReportedWithExit1() {
        api.onShutdown(() -> { });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext ctx = new CliContext(new PrintWriter(out), new PrintWriter(err), Map.of(),
                new ServiceManager(dir.resolve("no-systemd"), "systemctl"), ZoneId.of("UTC"));
        int code = Main.execute(new CommandLine(new LkStop(ctx, Duration.ofMillis(300))), new String[] {"-c", conf}, ctx);
        assertEquals(1, code);
        assertEquals("lkstop: the daemon (pid " + daemon.pid() + ") is still running 0.3 s after the shutdown "
                + "request; see 'lk_log log'\n", err.toString());
    }
}
