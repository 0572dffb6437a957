package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.cli.testing.CliRun;
import dev.vigil.cli.testing.CliRun.Result;
import dev.vigil.cli.testing.FakeDaemon;
import dev.vigil.cli.testing.Processes;
import dev.vigil.cli.testing.TestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lkstart spawning a real process from {@code $VIGIL_HOME/bin/vigild}. The vigild here is a test
 * script: either one that fails in a chosen way, or one that runs {@link FakeDaemon} (the
 * daemon's start/stop contract without Pekko), so that start, "already running", status and
 * stop run end to end.
 */
class LkStartCommandTest {
    private static final Pattern STARTED = Pattern.compile("Vigil started on server n1 \\(pid (\\d+)\\)\\.\n");

    @TempDir
    Path dir;

    private final Processes processes = new Processes();
    private TestConfig config;
    private String conf;
    private Path home;

    @BeforeEach
    void writeConfig() throws Exception {
        config = TestConfig.write(dir, TestConfig.freePort());
        conf = config.file.toString();
        home = Files.createDirectories(dir.resolve("vigil-home"));
    }

    @AfterEach
    void endProcesses() {
        processes.close();
    }

    private void vigild(String body) {
        Processes.script(home.resolve("bin/vigild"), body);
    }

    private Result lkstart(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "lkstart";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "-c";
        all[args.length + 2] = conf;
        return new CliRun().env("VIGIL_HOME", home.toString()).run(all);
    }

    @Test
    void lkstartWithAnInvalidConfigPrintsEveryProblemAndExits2WithoutStartingAnything() throws Exception {
        vigild("touch '" + dir.resolve("vigild-ran") + "'");
        Files.writeString(config.file, "vigil {\n  server = n1\n  cluster { servers = [ { name = n1, host = \"bad host\" } ] }\n"
                + "  admin { port = -1 }\n}\n");
        Result r = lkstart();
        assertEquals(2, r.exit(), r::toString);
        assertEquals(2, r.err().lines().count(), r::toString);
        assertTrue(r.err().lines().allMatch(l -> l.startsWith(conf + ":")), r::toString);
        assertFalse(Files.exists(dir.resolve("vigild-ran")));
    }

    @Test
    void lkstartFailureReportShowsWhatTheDaemonWroteWhenItExitsImmediately() throws Exception {
        Files.createDirectories(config.stateDir);
        Files.writeString(config.stateDir.resolve("daemon.out"), "words of an earlier start\n");
        vigild("echo \"vigild: started with: $*\"\n"
                + "echo \"vigild: cannot bind 127.0.0.1:" + config.adminPort + ": Address already in use\" >&2\n"
                + "exit 3");
        Result r = lkstart();
        assertEquals(1, r.exit(), r::toString);
        assertEquals("lkstart: the daemon exited with code 3:\n"
                + "vigild: started with: --config " + config.file + "\n"
                + "vigild: cannot bind 127.0.0.1:" + config.adminPort + ": Address already in use\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void lkstartGivesUpAfterTheWaitPeriodAndSaysTheDaemonIsStillRunning() throws Exception {
        Path pidFile = dir.resolve("never-answers.pid");
        vigild("echo $$ > '" + pidFile + "'\nexec sleep 30");
        Result r = lkstart("-w", "1");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        processes.track(pid);
        assertEquals(1, r.exit(), r::toString);
        assertEquals("lkstart: the daemon (pid " + pid + ") did not answer on 127.0.0.1:" + config.adminPort
                + " within 1 s; it is still running: see " + config.stateDir.resolve("daemon.out")
                + " and 'lk_log log', or wait longer with -w\n", r.err());
        assertTrue(DaemonPid.alive(pid));
    }

    @Test
    void lkstartStartsTheDaemonDetachedAndLkstopStopsIt() throws Exception {
        vigild("exec " + Processes.fakeDaemonCommand() + " \"$@\"");
        Result started = lkstart("-w", "30");
        Matcher m = STARTED.matcher(started.out());
        assertTrue(m.matches(), started::toString);
        long pid = Long.parseLong(m.group(1));
        processes.track(pid);

        // Its own session (setsid), stdin from /dev/null, output in daemon.out.
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        assertEquals(Long.toString(pid), fields[3], "session id");
        assertEquals(Path.of("/dev/null"), Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/0")));
        assertTrue(Files.readString(config.stateDir.resolve("daemon.out")).contains("fake vigild: serving on"));

        Result again = lkstart();
        assertEquals(0, again.exit(), again::toString);
        assertEquals("Vigil is already running on server n1 (pid " + pid + ").\n", again.out());

        Result status = CliRun.of("lcdstatus", "-q", "-c", conf);
        assertEquals(0, status.exit(), status::toString);
        assertEquals("""
                LOCAL  TAG        ID         STATE  PRIO  PRIMARY
                n1     app-batch  app-batch  OSU       2  n2

                MACHINE  NETWORK  ADDRESSES/DEVICE  STATE  PRIO
                """, status.out());

        Result stopped = CliRun.of("lkstop", "-c", conf);
        assertEquals(0, stopped.exit(), stopped::toString);
        assertEquals("Vigil stopped on server n1.\n", stopped.out());
        assertFalse(DaemonPid.alive(pid));
        assertEquals("remove", Files.readString(config.stateDir.resolve(FakeDaemon.MODE_FILE)));
    }

    @Test
    void lkstartRefusesToStartASecondDaemonBesideOneThatDoesNotAnswer() throws Exception {
        vigild("touch '" + dir.resolve("vigild-ran") + "'");
        Process hung = processes.start("sh", "-c", Processes.fakeDaemonCommand() + " --config '" + conf + "' --silent");
        Path pidFile = config.stateDir.resolve("vigil.pid");
        // The fake daemon creates the pid file and then writes it: wait for the number, not the file.
        for (int i = 0; i < 100 && !(Files.exists(pidFile) && Files.readString(pidFile).trim().matches("[0-9]+")); i++) {
            Thread.sleep(100);
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        processes.track(pid);
        Result r = lkstart("-w", "1");
        assertEquals(1, r.exit(), r::toString);
        assertEquals("lkstart: the daemon named in " + pidFile + " (pid " + pid + ") is running but its admin API did "
                + "not answer within 1 s (nothing listens on 127.0.0.1:" + config.adminPort + "); stop it (kill " + pid
                + ") before starting Vigil again\n", r.err());
        assertFalse(Files.exists(dir.resolve("vigild-ran")));
        assertTrue(hung.isAlive() || DaemonPid.alive(pid));
    }

    @Test
    void lkstartIgnoresAPidFileThatNamesAnotherProgram() throws Exception {
        Process other = processes.start("sleep", "30");
        Files.createDirectories(config.stateDir);
        Files.writeString(config.stateDir.resolve("vigil.pid"), Long.toString(other.pid()));
        vigild("echo 'vigild: tried'\nexit 3");
        Result r = lkstart("-w", "5");
        assertEquals(1, r.exit(), r::toString);
        assertEquals("lkstart: the daemon exited with code 3:\nvigild: tried\n", r.err());
    }

    @Test
    void lkstartWithoutVigilHomeSaysHowToRunIt() {
        Result r = CliRun.of("lkstart", "-c", conf);
        assertEquals(1, r.exit());
        assertEquals("lkstart: VIGIL_HOME is not set; run lkstart from the installation's bin directory\n", r.err());
    }

    @Test
    void lkstartWithoutAnExecutableVigildNamesTheFile() {
        Result r = lkstart();
        assertEquals(1, r.exit());
        assertEquals("lkstart: " + home.resolve("bin/vigild") + " is missing or not executable\n", r.err());
    }

    @Test
    void lkstartNamesAStateDirectoryItCannotCreate() throws Exception {
        vigild("exit 0");
        Files.writeString(dir.resolve("state"), "a file where the state directory should be");
        Result r = lkstart();
        assertEquals(1, r.exit());
        assertEquals("lkstart: cannot create the state directory " + config.stateDir
                + ": a file of that name is in the way\n", r.err());
    }

    @Test
    void aWaitPeriodBelowOneSecondIsAUsageError() {
        Result r = lkstart("-w", "0");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("lkstart: -w must be at least 1 second, not 0\nUsage: lkstart [-w SECONDS]"),
                r::toString);
    }
}
