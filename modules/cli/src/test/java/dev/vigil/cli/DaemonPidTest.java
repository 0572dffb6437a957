package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.cli.testing.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DaemonPidTest {
    private final Processes processes = new Processes();

    @AfterEach
    void endProcesses() {
        processes.close();
    }

    @Test
    void aVigilProcessIsRecognisedBeyondTheJdks4096ByteCommandLine() {
        // The fencing guard's command line: a long class path before the main class.
        Process p = processes.start("sh", "-c", "read line", "x".repeat(5000), "dev.vigil.guard.GuardMain");
        assertTrue(DaemonPid.isVigil(p.pid()));
    }

    @Test
    void anotherProgramIsNotVigil() {
        Process p = processes.start("sh", "-c", "read line", "not-ours");
        assertFalse(DaemonPid.isVigil(p.pid()));
    }
}
