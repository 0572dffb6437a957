package dev.vigil.kits.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.kits.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostProcessesTest {
    private final HostProcesses processes = new HostProcesses(CommandRunner.local());
    private Process sleeper;

    @AfterEach
    void stopSleeper() {
        if (sleeper != null) {
            TestHost.kill(sleeper.pid());
        }
    }

    @Test
    void findsAProcessByItsWorkingDirectoryAndTerminatesIt(@TempDir Path dir) throws Exception {
        TestHost.require("finding processes with fuser", "fuser");
        sleeper = new ProcessBuilder("sleep", "300").directory(dir.toFile()).start();
        Deadline d = Deadline.after(Duration.ofSeconds(20));
        HostProcesses.Lookup users = processes.usersOf(dir.toString(), d);
        assertEquals(List.of(sleeper.pid()), users.pids(), users.toString());
        assertEquals(Map.of(sleeper.pid(), "sleep"), processes.alive(users.pids(), d).orElseThrow());
        assertTrue(processes.terminate(users.pids(), Duration.ofSeconds(2), d).isEmpty());
        assertTrue(TestHost.awaitGone(sleeper.pid(), 2000));
    }

    @Test
    void aPathThatDoesNotExistIsAnErrorNotAnEmptyList() {
        TestHost.require("finding processes with fuser", "fuser");
        HostProcesses.Lookup users = processes.usersOf("/nonexistent/vigil", Deadline.after(Duration.ofSeconds(5)));
        assertTrue(users.error().isPresent(), users.toString());
    }

    @Test
    void aProcessIgnoringSigtermIsKilled(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("stubborn.sh");
        Files.writeString(script, "trap '' TERM\necho ready\nwhile :; do sleep 0.1; done\n");
        sleeper = new ProcessBuilder("sh", script.toString()).start();
        sleeper.getInputStream().read();
        Deadline d = Deadline.after(Duration.ofSeconds(10));
        assertTrue(processes.terminate(List.of(sleeper.pid()), Duration.ofMillis(300), d).isEmpty());
        assertTrue(TestHost.awaitGone(sleeper.pid(), 2000));
    }
}
