package dev.vigil.kits.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JVM-side watch of a process the daemon did not start. */
class ProcessWatchTest {
    private Process sleeper;

    @AfterEach
    void endSleeper() throws InterruptedException {
        if (sleeper != null) {
            sleeper.destroyForcibly();
            sleeper.waitFor();
        }
    }

    @Test
    void theWatchFiresSoonAfterTheProcessDiesAndNotBefore() throws Exception {
        sleeper = new ProcessBuilder("sleep", "300").start();
        CompletableFuture<String> ended = ProcessWatch.watch(sleeper.pid(), "sleep", "sleeper").orElseThrow();
        Thread.sleep(3 * ProcessWatch.POLL.toMillis());
        assertFalse(ended.isDone());
        long start = System.nanoTime();
        sleeper.destroyForcibly();
        String why = ended.get(2, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        // Our own child stays a zombie until waited for: that counts as ended.
        assertTrue(why.startsWith("sleeper ended"), why);
        assertTrue(millis < 300, "took " + millis + " ms");
    }

    @Test
    void aLivePidThatIsNotTheExpectedProgramCannotBeWatched() throws Exception {
        sleeper = new ProcessBuilder("sleep", "300").start();
        assertEquals(Optional.empty(), ProcessWatch.watch(sleeper.pid(), "postgres", "postmaster"));
    }

    @Test
    void aProcessAlreadyGoneFiresAtOnce() throws Exception {
        sleeper = new ProcessBuilder("sleep", "300").start();
        sleeper.destroyForcibly();
        sleeper.waitFor();
        assertEquals("sleeper ended", ProcessWatch.watch(sleeper.pid(), "sleep", "sleeper").orElseThrow().getNow(null));
    }

    @Test
    void aCancelledWatchNeverCompletesNormally() throws Exception {
        sleeper = new ProcessBuilder("sleep", "300").start();
        CompletableFuture<String> ended = ProcessWatch.watch(sleeper.pid(), "sleep", "sleeper").orElseThrow();
        ended.cancel(false);
        sleeper.destroyForcibly();
        sleeper.waitFor();
        Thread.sleep(3 * ProcessWatch.POLL.toMillis());
        assertTrue(ended.isCancelled());
    }

    @Test
    void aPidfdHelperWatchesWithoutPollingAndEndsWithTheWatch() throws Exception {
        assertTrue(ProcessWatch.usesPidfd(), "perl and pidfd_open are available here");
        sleeper = new ProcessBuilder("sleep", "300").start();
        CompletableFuture<String> ended = ProcessWatch.watch(sleeper.pid(), "sleep", "sleeper").orElseThrow();
        assertFalse(ProcessWatch.polling(), "no polling thread while the helper watches");
        List<ProcessHandle> helpers = ProcessHandle.current().children()
                .filter(p -> helperOf(p, sleeper.pid())).toList();
        assertEquals(1, helpers.size(), "one helper for the one watch");
        ended.cancel(false);
        assertTrue(helpers.get(0).onExit().get(2, TimeUnit.SECONDS) != null, "the helper ends with the watch");
        sleeper.destroyForcibly();
    }

    @Test
    void aKilledHelperFallsBackToPollingAndTheEndIsStillNoticed() throws Exception {
        sleeper = new ProcessBuilder("sleep", "300").start();
        CompletableFuture<String> ended = ProcessWatch.watch(sleeper.pid(), "sleep", "sleeper").orElseThrow();
        ProcessHandle helper = ProcessHandle.current().children()
                .filter(p -> helperOf(p, sleeper.pid())).findFirst().orElseThrow();
        helper.destroyForcibly();
        helper.onExit().get(2, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!ProcessWatch.polling() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(ProcessWatch.polling(), "polled once the helper is gone");
        assertFalse(ended.isDone(), "the helper's end is not the process's end");
        sleeper.destroyForcibly();
        assertTrue(ended.get(2, TimeUnit.SECONDS).startsWith("sleeper ended"));
        long stop = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (ProcessWatch.polling() && System.nanoTime() < stop) {
            Thread.sleep(ProcessWatch.POLL.toMillis());
        }
        assertFalse(ProcessWatch.polling(), "the polling stops when nothing is polled: " + ProcessWatch.watched());
    }

    private static boolean helperOf(ProcessHandle p, long pid) {
        String cmd = p.info().commandLine().orElse("");
        return cmd.contains("perl") && cmd.endsWith(" " + pid);
    }
}
