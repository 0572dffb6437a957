package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vigil.cli.testing.TestConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil log TYPE -f}: prints the log, then what is appended, across a roll-over, until interrupted. */
class VigilLogFollowTest {
    @TempDir
    Path dir;

    @Test
    void followsAppendedLinesAndTheNewFileAfterARollOverUntilInterrupted() throws Exception {
        TestConfig config = TestConfig.write(dir, TestConfig.freePort());
        Files.createDirectories(config.logsDir);
        Path lcm = config.logsDir.resolve("lcm.log");
        Files.writeString(lcm, "1 before\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext ctx = new CliContext(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(), null,
                ZoneId.of("UTC"));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread follower = new Thread(() -> exit.set(Main.run(new String[] {"vigil", "log", "-f", "-c",
                config.file.toString(), "LCM"}, ctx)));
        follower.start();
        try {
            await(out, "1 before\n");
            Files.writeString(lcm, "2 appended\n3 half", StandardOpenOption.APPEND);
            await(out, "1 before\n2 appended\n");
            Thread.sleep(600);
            assertFalse(out.toString().contains("3 half"), "half a line waits for its end");
            Files.writeString(lcm, " a line\n", StandardOpenOption.APPEND);
            await(out, "1 before\n2 appended\n3 half a line\n");
            Files.move(lcm, config.logsDir.resolve("lcm.1.log"));
            Files.writeString(lcm, "4 after the roll-over\n");
            await(out, "1 before\n2 appended\n3 half a line\n4 after the roll-over\n");
        } finally {
            follower.interrupt();
            follower.join(10_000);
        }
        assertFalse(follower.isAlive(), "an interrupt ends it");
        assertEquals(0, exit.get(), err.toString());
        assertEquals("", err.toString());
    }

    private static void await(StringWriter out, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!out.toString().equals(expected)) {
            if (System.nanoTime() > deadline) {
                assertEquals(expected, out.toString(), "timed out");
            }
            Thread.sleep(50);
        }
    }
}
