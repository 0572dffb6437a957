package dev.vigil.guard;

import dev.vigil.core.LogType;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The guard's own log: its file (size-capped, rolled like the daemon's logs) and stderr, in the
 * daemon's line shape ({@code 2025-01-01 12:00:00.123 n1 WARN  FENCING ...}). Deliberately not
 * Logback: the guard runs on the daemon's classpath and must not pick up, or depend on, the
 * daemon's logging configuration.
 */
public final class GuardLog {

    static final long MAX_BYTES = 10L * 1024 * 1024;
    static final int MAX_FILES = 5;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final Path file;
    private final String server;
    private final PrintStream stderr;

    public GuardLog(Path file, String server, PrintStream stderr) {
        this.file = file;
        this.server = server;
        this.stderr = stderr;
    }

    /** The manual's date suffix: {@code AT: Thu Oct 21 20:46:52 JST 2004}. */
    public static String at() {
        return " AT: " + LogType.manualDate(ZonedDateTime.now());
    }

    public void info(String message) {
        write("INFO ", message);
    }

    public void warn(String message) {
        write("WARN ", message);
    }

    public void error(String message) {
        write("ERROR", message);
    }

    private synchronized void write(String level, String message) {
        String line = STAMP.format(LocalDateTime.now()) + " " + server + " " + level + " " + message + "\n";
        if (stderr != null) {
            stderr.print(line);
            stderr.flush();
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (Files.size(file) > MAX_BYTES) {
                roll();
            }
        } catch (IOException e) {
            if (stderr != null) {
                stderr.println("cannot write guard log " + file + ": " + e.getMessage());
            }
        }
    }

    private void roll() throws IOException {
        for (int i = MAX_FILES - 1; i >= 1; i--) {
            Path from = i == 1 ? file : rolled(i - 1);
            if (Files.exists(from)) {
                Files.move(from, rolled(i), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** guard.log rolls to guard.1.log (the newest) ... guard.4.log. */
    Path rolled(int i) {
        String name = file.getFileName().toString();
        String base = name.endsWith(".log") ? name.substring(0, name.length() - 4) : name;
        return file.resolveSibling(base + "." + i + ".log");
    }
}
