package dev.vigil.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.cli.CommandFailure;
import dev.vigil.cli.testing.Processes;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding PostgreSQL's server programs: the newest complete directory, else a message saying where it looked. */
class DemoPostgresTest {
    @TempDir
    Path dir;

    private Path bin(String path, String... programs) {
        Path bin = dir.resolve(path);
        for (String p : programs) {
            Processes.script(bin.resolve(p), "exit 0");
        }
        return bin;
    }

    @Test
    void theNewestCompleteVersionIsChosenNumbersComparedAsNumbers() {
        bin("lib/9.6/bin", "initdb", "pg_ctl", "postgres");
        bin("lib/16/bin", "pg_ctl", "postgres");
        Path fifteen = bin("lib/15/bin", "initdb", "pg_ctl", "postgres");
        bin("lib/10/bin", "initdb", "pg_ctl", "postgres");
        assertEquals(fifteen, DemoPostgres.findBin(List.of(dir + "/lib/*/bin"), ""));
    }

    @Test
    void pathIsSearchedAfterThePackagesDirectories() {
        Path onPath = bin("usr/local/bin", "initdb", "pg_ctl", "postgres");
        assertEquals(onPath, DemoPostgres.findBin(List.of(dir + "/lib/*/bin"), "/nonexistent:" + onPath));
    }

    @Test
    void withoutCompleteProgramsTheMessageSaysWhereItLookedAndWhatIsMissing() {
        Path partial = bin("lib/15/bin", "pg_ctl", "postgres");
        CommandFailure f = assertThrows(CommandFailure.class,
                () -> DemoPostgres.findBin(List.of(dir + "/lib/*/bin", dir + "/pgsql/bin"), "/nonexistent"));
        assertEquals(1, f.exitCode());
        assertEquals("no PostgreSQL server programs found (initdb, pg_ctl, postgres in one directory); looked in "
                + dir + "/lib/*/bin, " + dir + "/pgsql/bin and $PATH (" + partial + " lacks initdb); install them "
                + "(Debian: apt-get install postgresql) or name their directory with --pg-bin DIR", f.getMessage());
    }

    @Test
    void versionsCompareNumerically() {
        assertTrue(DemoPostgres.compareVersions("16", "9.6") > 0);
        assertTrue(DemoPostgres.compareVersions("9.6", "9.5") > 0);
        assertEquals(0, DemoPostgres.compareVersions("15", "15"));
    }
}
