package dev.vigil.daemon.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.LogType;
import dev.vigil.core.ResourceState;
import dev.vigil.core.config.LogSettings;
import dev.vigil.daemon.TestSupport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The seven logs: one file each, the line shape, size-capped rolling, and WARN+ of the main log on stdout. */
class LogSetupTest {
    private static final String LINE_START = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} ";
    private Path dir;

    @BeforeEach
    void tempDir() throws Exception {
        dir = Files.createTempDirectory("vigil-log-setup-test");
    }

    @AfterEach
    void cleanUp() {
        TestSupport.deleteRecursively(dir);
    }

    @Test
    void everyLogTypeWritesToItsOwnFileInTheManualLineShape() throws Exception {
        LogSettings settings = new LogSettings(dir.resolve("logs"), 1 << 20, 5);
        LogSetup.configure(settings, "n1");
        for (LogType type : LogType.values()) {
            LoggerFactory.getLogger(type.loggerName()).info("line for " + type.typeName());
        }
        LoggerFactory.getLogger("org.apache.pekko.cluster.Cluster").warn("a Pekko line");
        new OperatorLog("n7").resourceStateChanged("fs-/share", ResourceState.ILLSTATE, ResourceState.OSU,
                "out of service");

        for (LogType type : LogType.values()) {
            List<String> lines = Files.readAllLines(settings.dir().resolve(type.fileName()));
            assertTrue(lines.get(0).matches(LINE_START + "n1 INFO  line for " + type.typeName()), lines.get(0));
            if (type == LogType.LOG) {
                assertEquals(2, lines.size(), lines.toString());
                assertTrue(lines.get(1).matches(LINE_START + "n1 WARN  a Pekko line"), lines.get(1));
            } else if (type == LogType.LCD) {
                assertEquals(2, lines.size(), lines.toString());
                assertTrue(lines.get(1).matches(LINE_START
                        + "n7 INFO  resource \"fs-/share\" on \"n7\": ILLSTATE -> OSU \\(out of service\\)"), lines.get(1));
            } else {
                assertEquals(1, lines.size(), type + ": " + lines);
            }
        }
    }

    @Test
    void aFullLogRollsToNumberedFilesAndKeepsAtMostMaxFiles() throws Exception {
        LogSettings settings = new LogSettings(dir, 4096, 3);
        LogSetup.configure(settings, "n1");
        writeLcm(400);
        Path current = dir.resolve(LogType.LCM.fileName());
        assertTrue(Files.exists(current));
        assertTrue(Files.exists(dir.resolve(LogType.LCM.rolledFileName(1))));
        assertTrue(Files.exists(dir.resolve(LogType.LCM.rolledFileName(2))));
        assertFalse(Files.exists(dir.resolve(LogType.LCM.rolledFileName(3))), "max-files counts the current file");
        for (Path p : List.of(current, dir.resolve(LogType.LCM.rolledFileName(1)),
                dir.resolve(LogType.LCM.rolledFileName(2)))) {
            assertTrue(Files.size(p) <= 4096 + 200, p + " is " + Files.size(p) + " bytes");
        }
        assertTrue(Files.readString(current).contains("event 399 FAILED"), "the newest line is in the current file");
        assertTrue(lastEvent(dir.resolve(LogType.LCM.rolledFileName(1)))
                > lastEvent(dir.resolve(LogType.LCM.rolledFileName(2))), "1 is the newest rolled file");
    }

    @Test
    void withMaxFilesOneAFullLogStartsAfresh() throws Exception {
        LogSetup.configure(new LogSettings(dir, 4096, 1), "n1");
        writeLcm(200);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("lcm.") && !n.equals(LogType.LCM.fileName())).toList());
        }
        assertTrue(Files.size(dir.resolve(LogType.LCM.fileName())) <= 4096 + 200);
    }

    @Test
    void warningsOfTheMainLogAreEchoedToStdoutAndNothingElse() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LogSetup.configure(new LogSettings(dir, 1 << 20, 5), "n1");
            new OperatorLog("n1").machineFailure("n2", 1);
            new OperatorLog("n1").machineAlive("n2");
            new OperatorLog("n1").commPathFailed("n2", "10.0.0.1", "10.0.0.2");
            LoggerFactory.getLogger("org.apache.pekko.remote").error("a Pekko error");
        } finally {
            System.setOut(original);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches(LINE_START
                + "n1 WARN  MACHINE FAILURE: server \"n2\" is DEAD \\(all 1 comm paths down\\) AT: .+"), lines.get(0));
        assertTrue(lines.get(1).endsWith("n1 ERROR a Pekko error"), lines.get(1));
    }

    @Test
    void rolledFilesAreNamedAsLogTypeSays() {
        for (LogType type : LogType.values()) {
            assertEquals(type.rolledFileName(7), LogSetup.rolledPattern(type).replace("%i", "7"));
        }
    }

    private static int lastEvent(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        String last = lines.get(lines.size() - 1);
        return Integer.parseInt(last.replaceAll(".* event (\\d+) FAILED.*", "$1"));
    }

    private static void writeLcm(int lines) {
        OperatorLog log = new OperatorLog("n1");
        for (int i = 0; i < lines; i++) {
            log.commPathFailed("n2", "10.200.0.1", "10.200.0.2 event " + i);
        }
    }
}
