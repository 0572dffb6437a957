package dev.vigil.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.cli.testing.CliRun;
import dev.vigil.cli.testing.CliRun.Result;
import dev.vigil.cli.testing.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A demo that cannot come up, and what it leaves: nothing. initdb failing; a directory PostgreSQL's
 * OS user cannot reach; and a demo whose second daemon dies while starting: real initdb, then three "daemons" from a test
 * installation whose vigild runs the stand-in daemon for n1 and n3 and fails for n2. The demo
 * says why with the daemon's words and its log's last lines, and leaves nothing behind: no
 * process, no directory.
 */
class DemoStartFailureTest {
    @TempDir
    Path dir;

    private final Processes processes = new Processes();

    @AfterEach
    void endProcesses() {
        ProcessHandle.current().descendants().forEach(h -> processes.track(h.pid()));
        processes.close();
    }

    /** PostgreSQL's OS user must reach the demo's directory (JUnit's are 0700). */
    private void openDir() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Result demo(Path home, Path demoDir, Path pgBin) {
        return new CliRun().env("VIGIL_HOME", home.toString()).env("PATH", System.getenv("PATH"))
                .run("vigil", "demo", "--dir", demoDir.toString(), "--base-port",
                        Integer.toString(VigilDemoCommandTest.freeBase()), "--pg-bin", pgBin.toString());
    }

    /** An installation whose vigild is never run: the demo fails before. */
    private Path unusedInstallation() {
        Path home = dir.resolve("vigil-home");
        Processes.script(home.resolve("bin/vigild"), "touch '" + dir.resolve("vigild-ran") + "'");
        return home;
    }

    /** Server programs that pass the search; initdb says {@code initdbBody}. */
    private Path fakePgBin(String initdbBody) {
        Path bin = dir.resolve("pg-bin");
        Processes.script(bin.resolve("initdb"), initdbBody);
        Processes.script(bin.resolve("pg_ctl"), "exit 0");
        Processes.script(bin.resolve("postgres"), "exit 0");
        return bin;
    }

    @Test
    void aFailingInitdbIsReportedWithItsLastLinesAndTheDirectoryRemoved() throws Exception {
        openDir();
        Path demoDir = dir.resolve("demo");
        Result r = demo(unusedInstallation(), demoDir, fakePgBin("echo 'initdb: error: the test says so'; exit 1"));
        assertEquals(1, r.exit(), r::toString);
        assertEquals("vigil demo: initdb failed (exit code 1): initdb: error: the test says so\n", r.err());
        assertTrue(r.out().endsWith("vigil demo: stopping everything it started\nremoved " + demoDir + "\n"), r::toString);
        assertFalse(Files.exists(demoDir));
        assertFalse(Files.exists(dir.resolve("vigild-ran")), "no daemon was started");
    }

    @Test
    void aDirectoryPostgresqlsUserCannotReachIsRefusedBeforeInitdb() throws Exception {
        assumeTrue(DemoPostgres.runningAsRoot(), "skipped: PostgreSQL runs as another OS user only when the demo runs as root");
        Path closed = Files.createDirectories(dir.resolve("closed"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path demoDir = closed.resolve("demo");
        Result r = demo(unusedInstallation(), demoDir, fakePgBin("touch '" + dir.resolve("initdb-ran") + "'"));
        assertEquals(1, r.exit(), r::toString);
        assertEquals("vigil demo: PostgreSQL's OS user postgres cannot reach " + demoDir.resolve("pg") + ": a directory "
                + "above " + demoDir + " is closed to it; choose a --dir it can reach, e.g. under /tmp\n", r.err());
        assertFalse(Files.exists(demoDir));
        assertFalse(Files.exists(dir.resolve("initdb-ran")));
    }

    @Test
    void aDaemonThatFailsToStartEndsTheDemoWithItsWordsAndLogAndEverythingStopped() throws Exception {
        Path pgBin = VigilDemoCommandTest.pgBin();
        openDir();
        Path home = dir.resolve("vigil-home");
        Processes.script(home.resolve("bin/vigild"), """
                case "$2" in
                  */n2/vigil.conf)
                    echo "vigild: cannot start: the test says so"
                    mkdir -p "${2%%/vigil.conf}/log"
                    seq -f 'log line %%g' 1 20 > "${2%%/vigil.conf}/log/vigil.log"
                    exit 3;;
                  *) exec %s "$@";;
                esac""".formatted(Processes.fakeDaemonCommand()));
        Path demoDir = dir.resolve("demo");
        Result r = demo(home, demoDir, pgBin);

        assertEquals(1, r.exit(), r::toString);
        String log = demoDir.resolve("n2/log/vigil.log").toString();
        assertEquals("vigil demo: n2: the daemon exited with code 3:\nvigild: cannot start: the test says so\n"
                + "last lines of " + log + ":\n"
                + IntStream.rangeClosed(6, 20).mapToObj(i -> "  log line " + i + "\n").collect(Collectors.joining()),
                r.err());
        assertTrue(r.out().contains("initdb: PostgreSQL "), r::toString);
        assertTrue(r.out().endsWith("vigil demo: stopping everything it started\n" + stopped(r.out())
                + "removed " + demoDir + "\n"), r::toString);
        assertFalse(Files.exists(demoDir), "the directory is removed");
        List<String> left = ProcessHandle.current().descendants().map(h -> h.info().commandLine().orElse("?")).toList();
        assertTrue(left.isEmpty(), "still running: " + left);
    }

    /** The lines between "stopping" and "removed": n1 and n3 stopped by lkstop or killed, whichever applied. */
    private static String stopped(String out) {
        String after = out.substring(out.indexOf("vigil demo: stopping everything it started\n")
                + "vigil demo: stopping everything it started\n".length());
        String lines = after.substring(0, after.indexOf("removed "));
        assertTrue(lines.lines().allMatch(l -> l.matches("  (n[13]: Vigil stopped on server n[13]\\.|killed the daemon of n[13] \\(pid \\d+\\))")),
                lines);
        return lines;
    }
}
