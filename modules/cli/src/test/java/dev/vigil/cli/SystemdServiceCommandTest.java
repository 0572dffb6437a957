package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.cli.testing.CliRun;
import dev.vigil.cli.testing.CliRun.Result;
import dev.vigil.cli.testing.FakeAdminApi;
import dev.vigil.cli.testing.Processes;
import dev.vigil.cli.testing.StatusFixtures;
import dev.vigil.cli.testing.SystemdStandIn;
import dev.vigil.cli.testing.TestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lkstart and lkstop where systemd runs, against a {@link SystemdStandIn} (a stand-in systemctl:
 * PID 1 is not systemd on the build machines): systemd is used only when vigil.service is
 * installed and runs the daemon of the same configuration file; lkstop's mode still reaches the
 * daemon through the admin API before systemd is told to stop the unit.
 */
class SystemdServiceCommandTest {
    private static final String TOKEN = "cd".repeat(32);

    @TempDir
    Path dir;

    private final Processes processes = new Processes();
    private TestConfig config;
    private Path home;

    @BeforeEach
    void writeConfig() throws Exception {
        config = TestConfig.write(dir, TestConfig.freePort());
        home = Files.createDirectories(dir.resolve("vigil-home"));
        Processes.script(home.resolve("bin/vigild"), "touch '" + dir.resolve("vigild-ran") + "'\nexec "
                + Processes.fakeDaemonCommand() + " \"$@\"");
    }

    @AfterEach
    void endProcesses() {
        processes.close();
    }

    private Result run(SystemdStandIn systemd, String... args) {
        return new CliRun().env("VIGIL_HOME", home.toString()).services(systemd.services()).run(args);
    }

    private SystemdStandIn systemdRunningTheDaemonOf(Path unitConfig) {
        return SystemdStandIn.create(dir.resolve("systemd"), unitConfig,
                Processes.fakeDaemonCommand() + " --config '" + config.file + "'", 0);
    }

    @Test
    void lkstartStartsTheUnitWhenItRunsThisConfigurationAndWaitsForTheApi() {
        SystemdStandIn systemd = systemdRunningTheDaemonOf(config.file);
        Result r = run(systemd, "lkstart", "-c", config.file.toString());
        systemd.mainPid().ifPresent(processes::track);
        assertEquals(0, r.exit(), r::toString);
        long pid = systemd.mainPid().orElseThrow();
        assertEquals("Vigil started on server n1 by systemd (vigil.service, pid " + pid + ").\n", r.out());
        assertEquals(List.of("show --property=LoadState,ActiveState,MainPID,ExecStart vigil.service", "start vigil.service",
                "show --property=LoadState,ActiveState,MainPID,ExecStart vigil.service"), systemd.calls());
        assertFalse(Files.exists(dir.resolve("vigild-ran")), "bin/vigild must not be run directly");
        assertEquals(0, CliRun.of("lcdstatus", "-q", "-c", config.file.toString()).exit());
    }

    @Test
    void theUnitsConfigurationIsRecognisedThroughASymlink() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("etc-vigil.conf"), config.file);
        SystemdStandIn systemd = systemdRunningTheDaemonOf(link);
        Result r = run(systemd, "lkstart", "-c", config.file.toString());
        systemd.mainPid().ifPresent(processes::track);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(systemd.calls().contains("start vigil.service"), systemd.calls()::toString);
    }

    @Test
    void lkstartStartsTheDaemonDirectlyWhenTheUnitRunsAnotherConfiguration() {
        SystemdStandIn systemd = systemdRunningTheDaemonOf(Path.of("/etc/vigil/vigil.conf"));
        Result r = run(systemd, "lkstart", "-c", config.file.toString());
        DaemonPid.read(config.stateDir).ifPresent(processes::track);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().matches("Vigil started on server n1 \\(pid \\d+\\)\\.\n"), r::toString);
        assertTrue(Files.exists(dir.resolve("vigild-ran")));
        assertEquals(List.of("show --property=LoadState,ActiveState,MainPID,ExecStart vigil.service"), systemd.calls());
    }

    @Test
    void lkstartStartsTheDaemonDirectlyWhenTheUnitIsNotInstalled() {
        SystemdStandIn systemd = systemdRunningTheDaemonOf(null);
        Result r = run(systemd, "lkstart", "-c", config.file.toString());
        DaemonPid.read(config.stateDir).ifPresent(processes::track);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(Files.exists(dir.resolve("vigild-ran")));
        assertFalse(systemd.calls().contains("start vigil.service"));
    }

    @Test
    void aDaemonThatExitsUnderSystemdIsReportedWithItsJournalAndTheUnitIsStopped() {
        SystemdStandIn systemd = SystemdStandIn.create(dir.resolve("systemd"), config.file, null, 0);
        Result r = run(systemd, "lkstart", "-w", "5", "-c", config.file.toString());
        assertEquals(1, r.exit(), r::toString);
        assertEquals("lkstart: the daemon exited while starting (vigil.service is failed; stopped it so that systemd "
                + "does not restart it). Its journal:\nvigild: cannot bind 127.0.0.1:7365: Address already in use\n", r.err());
        assertTrue(systemd.calls().contains("stop vigil.service"), systemd.calls()::toString);
        assertTrue(systemd.calls().stream().anyMatch(c -> c.startsWith("journalctl --unit=vigil.service --since=@")),
                systemd.calls()::toString);
    }

    @Test
    void aFailingSystemctlStartIsQuotedWithExit1() {
        SystemdStandIn systemd = SystemdStandIn.create(dir.resolve("systemd"), config.file, null, 1);
        Result r = run(systemd, "lkstart", "-c", config.file.toString());
        assertEquals(1, r.exit(), r::toString);
        assertEquals("lkstart: cannot start the daemon: systemctl start vigil.service failed: exit code 1: Job for "
                + "vigil.service failed because the control process exited with error code.; see: systemctl status "
                + "vigil.service\n", r.err());
    }

    /** The daemon of the unit, as lkstop sees it: the admin API plus a process named in the pid file. */
    private FakeAdminApi daemonUnder(SystemdStandIn systemd) throws Exception {
        FakeAdminApi api = FakeAdminApi.start(config.adminPort, TOKEN, StatusFixtures.threeServers());
        Files.createDirectories(config.stateDir);
        Files.writeString(config.tokenFile, TOKEN);
        Process daemon = processes.vigilLookingProcess();
        Files.writeString(config.stateDir.resolve("vigil.pid"), daemon.pid() + "\n");
        systemd.recordMainPid(daemon.pid());
        api.onShutdown(daemon::destroy);
        return api;
    }

    @Test
    void lkstopSendsTheModeThroughTheApiAndStopsTheUnitOnlyOnceTheDaemonHasExited() throws Exception {
        SystemdStandIn systemd = systemdRunningTheDaemonOf(config.file);
        try (FakeAdminApi api = daemonUnder(systemd)) {
            Result r = run(systemd, "lkstop", "-f", "-c", config.file.toString());
            assertEquals(0, r.exit(), r::toString);
            assertEquals("Vigil will not start at boot on server n1 (systemctl disable vigil.service).\n"
                    + "Vigil stopped on server n1.\n", r.out());
            assertEquals(List.of("leave-running"), api.shutdownModes());
            // No "stop while the daemon runs": systemd was asked only after the daemon had exited.
            assertEquals(List.of("show --property=LoadState,ActiveState,MainPID,ExecStart vigil.service",
                    "disable vigil.service",
                    "show --property=LoadState,ActiveState,MainPID,ExecStart vigil.service", "stop vigil.service"),
                    systemd.calls());
        }
    }

    @Test
    void lkstopWhenTheDaemonIsNotRunningStillStopsTheUnitSoSystemdCannotRestartIt() {
        SystemdStandIn systemd = systemdRunningTheDaemonOf(config.file);
        Result r = run(systemd, "lkstop", "-r", "-c", config.file.toString());
        assertEquals(0, r.exit(), r::toString);
        assertEquals("Vigil will start at boot on server n1 (systemctl enable vigil.service).\n"
                + "Vigil is not running on server n1.\n", r.out());
        assertTrue(systemd.calls().contains("stop vigil.service"), systemd.calls()::toString);
    }

    @Test
    void lkstopLeavesTheUnitAloneWhenItRunsAnotherConfiguration() throws Exception {
        SystemdStandIn systemd = systemdRunningTheDaemonOf(Path.of("/etc/vigil/vigil.conf"));
        try (FakeAdminApi api = daemonUnder(systemd)) {
            Result r = run(systemd, "lkstop", "-n", "-c", config.file.toString());
            assertEquals(0, r.exit(), r::toString);
            assertEquals(List.of("switchover"), api.shutdownModes());
            assertFalse(systemd.calls().contains("stop vigil.service"), systemd.calls()::toString);
        }
    }

    @Test
    void aFailingUnitStopIsAWarningAfterTheDaemonStopped() throws Exception {
        SystemdStandIn systemd = systemdRunningTheDaemonOf(config.file);
        Processes.script(dir.resolve("systemd/bin/systemctl"), "case \"$1\" in\n"
                + "show) echo LoadState=loaded; echo 'ExecStart={ path=x ; argv[]=x --config " + config.file + " ; }' ;;\n"
                + "stop) echo 'Failed to stop vigil.service: Access denied'; exit 4 ;;\nesac");
        try (FakeAdminApi api = daemonUnder(systemd)) {
            Result r = run(systemd, "lkstop", "-c", config.file.toString());
            assertEquals(0, r.exit(), r::toString);
            assertEquals("lkstop: warning: systemd may restart Vigil: systemctl stop vigil.service failed: exit code 4: "
                    + "Failed to stop vigil.service: Access denied\n", r.err());
            assertEquals(List.of("remove"), api.shutdownModes());
        }
    }
}
