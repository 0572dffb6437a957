package dev.vigil.gui;

import dev.vigil.core.LogType;
import dev.vigil.core.config.LogSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The {@code GUI} log ({@code lk_log GUI}): who logged in, failed logins and their slow-down,
 * every action a user asked for and its outcome. Written by the GUI server alone (the daemon
 * writes nothing there), in the lines' shape of every Vigil log, rolled like them.
 */
public final class GuiLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private final LogSettings settings;
    private final String server;
    private final Path file;

    public GuiLog(LogSettings settings, String server) {
        this.settings = settings;
        this.server = server;
        this.file = settings.dir().resolve(LogType.GUI.fileName());
    }

    public void info(String message) {
        append("INFO ", message);
    }

    public void warn(String message) {
        append("WARN ", message);
    }

    private synchronized void append(String level, String message) {
        String line = TIME.format(LocalDateTime.now()) + " " + server + " " + level + " " + message + "\n";
        try {
            Files.createDirectories(settings.dir());
            if (Files.exists(file) && Files.size(file) + line.length() > settings.maxFileSize()) {
                roll();
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("GUI log " + file + " cannot be written (" + e.getMessage() + "): " + line.strip());
        }
    }

    private void roll() throws IOException {
        Path dir = settings.dir();
        int keep = settings.maxFiles() - 1;
        if (keep < 1) {
            Files.delete(file);
            return;
        }
        Files.deleteIfExists(dir.resolve(LogType.GUI.rolledFileName(keep)));
        for (int i = keep - 1; i >= 1; i--) {
            Path from = dir.resolve(LogType.GUI.rolledFileName(i));
            if (Files.exists(from)) {
                Files.move(from, dir.resolve(LogType.GUI.rolledFileName(i + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, dir.resolve(LogType.GUI.rolledFileName(1)), StandardCopyOption.REPLACE_EXISTING);
    }
}
