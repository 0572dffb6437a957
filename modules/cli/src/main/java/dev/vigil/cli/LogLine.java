package dev.vigil.cli;

import dev.vigil.core.LogType;
import dev.vigil.core.config.VigilConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Appends one line to one of the seven logs from a command (lk_configsnmp's changes go to the
 * SNMP log as the original's did), in the shape the daemon's lines have, {@code 2026-11-26
 * 16:40:00.000 n1 INFO  <manual date>: <message>}, so {@code lk_log} shows both alike.
 */
final class LogLine {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private LogLine() {
    }

    /** Appends {@code message}; a log that cannot be written ends the command with exit 1 (the change stays). */
    static void append(VigilConfig config, LogType type, ZoneId zone, String message) {
        ZonedDateTime now = ZonedDateTime.now(zone);
        String line = STAMP.format(now) + " " + config.serverName() + " INFO  " + LogType.manualDate(now) + ": "
                + message + "\n";
        Path file = config.logs().dir().resolve(type.fileName());
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw CommandFailure.of(ExitCode.SYSTEM, "the change is made, but it cannot be logged in " + file + ": "
                    + IoReason.of(e));
        }
    }
}
