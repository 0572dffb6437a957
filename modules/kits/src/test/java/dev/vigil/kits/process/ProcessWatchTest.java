package dev.vigil.kits.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
