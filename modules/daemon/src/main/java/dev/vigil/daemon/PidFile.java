package dev.vigil.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code <state-dir>/vigil.pid}: the daemon's process id while it runs, so that {@code lkstop}
 * and the service scripts can tell whether it is running. Removed at a clean exit.
 */
public final class PidFile {
    public static final String NAME = "vigil.pid";

    private PidFile() {
    }

    public static Path in(Path stateDir) {
        return stateDir.resolve(NAME);
    }

    /** Writes this process's id, creating the state directory if needed. */
    public static void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
    }

    /** Removes the file if it still names this process; a file another daemon rewrote is left alone. */
    public static void remove(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (pid.equals(Long.toString(ProcessHandle.current().pid()))) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // Already gone or unreadable: nothing of ours to remove.
        }
    }
}
