package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.vigil.cli.testing.CliRun;
import dev.vigil.cli.testing.CliRun.Result;
import dev.vigil.cli.testing.TestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lk_log reads the log files itself: no daemon runs in these tests (the admin port is free). */
class LkLogCommandTest {
    @TempDir
    Path dir;

    private TestConfig config;
    private String conf;

    @BeforeEach
    void writeConfig() {
        config = TestConfig.write(dir, TestConfig.freePort());
        conf = config.file.toString();
    }

    private void log(String file, String text) throws Exception {
        Files.createDirectories(config.logsDir);
        Files.writeString(config.logsDir.resolve(file), text);
    }

    @Test
    void printsTheRolledFilesOldestFirstThenTheCurrentFile() throws Exception {
        log("lcm.1.log", "3 newest rolled\n");
        log("lcm.3.log", "1 oldest rolled\n");
        log("lcm.2.log", "2 middle\n");
        log("lcm.log", "4 current\n");
        log("lcd.log", "another log\n");
        Result r = CliRun.of("lk_log", "LCM", "-c", conf);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("1 oldest rolled\n2 middle\n3 newest rolled\n4 current\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void remoteExecMayBeTypedAsTwoWordsOrOneQuotedArgument() throws Exception {
        log("remote-exec.log", "2025-11-26 13:40:00.000 n1 INFO  request from n2: uname\n");
        Result twoWords = CliRun.of("lk_log", "-c", conf, "remote", "exec");
        Result quoted = CliRun.of("lk_log", "-c", conf, "remote exec");
        assertEquals(0, twoWords.exit(), twoWords::toString);
        assertEquals("2025-11-26 13:40:00.000 n1 INFO  request from n2: uname\n", twoWords.out());
        assertEquals(twoWords, quoted);
    }

    @Test
    void anUnknownLogTypeExits2ListingTheValidTypes() {
        Result r = CliRun.of("lk_log", "x", "-c", conf);
        assertEquals(2, r.exit());
        assertEquals("lk_log: unknown log type 'x'; valid types: log, LCD, LCM, TTYLCM, \"remote exec\", GUI, SNMP\n",
                r.err());
    }

    @Test
    void anEmptyOrMissingLogPrintsNothingAndSucceeds() throws Exception {
        Result missingDir = CliRun.of("lk_log", "SNMP", "-c", conf);
        assertEquals(0, missingDir.exit(), missingDir::toString);
        assertEquals("", missingDir.out());

        log("ttylcm.log", "");
        Result empty = CliRun.of("lk_log", "TTYLCM", "-c", conf);
        assertEquals(0, empty.exit(), empty::toString);
        assertEquals("", empty.out() + empty.err());
    }

    @Test
    void withoutALogTypeItIsAUsageError() {
        Result r = CliRun.of("lk_log", "-c", conf);
        assertEquals(2, r.exit());
        assertEquals("""
                lk_log: Missing required parameter: 'TYPE'
                Usage: lk_log [-c FILE] [-f] TYPE
                Try 'lk_log --help' for more information.
                """, r.err());
    }

    @Test
    void anUnreadableLogFileIsNamedWithExit1() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file; run as another user to test this");
        log("gui.log", "secret\n");
        Files.setPosixFilePermissions(config.logsDir.resolve("gui.log"), PosixFilePermissions.fromString("---------"));
        Result r = CliRun.of("lk_log", "GUI", "-c", conf);
        assertEquals(1, r.exit());
        assertEquals("lk_log: cannot read " + config.logsDir.resolve("gui.log") + ": permission denied\n", r.err());
    }

    @Test
    void anUnusableConfigIsReportedBeforeAnyLogIsRead() throws Exception {
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "vigil { server = n1 \n");
        Result r = CliRun.of("lk_log", "log", "-c", bad.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith(bad + ":"), r::toString);
    }

    @Test
    void vigilLogIsLkLog() throws Exception {
        log("vigil.log", "2025-11-26 13:40:00.000 n1 INFO  Vigil startup complete on server \"n1\"\n");
        Result r = CliRun.of("vigil", "log", "log", "-c", conf);
        assertEquals(CliRun.of("lk_log", "log", "-c", conf), r);
        assertTrue(r.out().contains("startup complete"), r::toString);
    }
}
