package dev.vigil.core;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The seven logs of the original product. Each has the name operators pass to {@code lk_log},
 * the SLF4J logger name the daemon writes it through, and its file in the log directory
 * (rolled files are {@code <base>.1.log} … {@code <base>.N.log}, 1 the newest).
 */
public enum LogType {
    LOG("log", "vigil.log", "vigil"),
    LCD("LCD", "vigil.LCD", "lcd"),
    LCM("LCM", "vigil.LCM", "lcm"),
    TTYLCM("TTYLCM", "vigil.TTYLCM", "ttylcm"),
    REMOTE_EXEC("remote exec", "vigil.remote-exec", "remote-exec"),
    GUI("GUI", "vigil.GUI", "gui"),
    SNMP("SNMP", "vigil.SNMP", "snmp");

    /** The date shape of the manual's log lines ("... FAILED AT: Thu Oct 21 20:46:52 JST 2004"). */
    private static final DateTimeFormatter MANUAL_DATE =
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss zzz yyyy", Locale.ENGLISH);

    private final String typeName;
    private final String loggerName;
    private final String fileBase;

    LogType(String typeName, String loggerName, String fileBase) {
        this.typeName = typeName;
        this.loggerName = loggerName;
        this.fileBase = fileBase;
    }

    /** The name operators use: {@code lk_log LCM}, {@code lk_log "remote exec"}. */
    public String typeName() {
        return typeName;
    }

    public String loggerName() {
        return loggerName;
    }

    /** The current file, e.g. {@code lcm.log}. */
    public String fileName() {
        return fileBase + ".log";
    }

    /** The rolled file number {@code i} (1 = newest), e.g. {@code lcm.1.log}. */
    public String rolledFileName(int i) {
        return fileBase + "." + i + ".log";
    }

    /** Looks a type up by the name operators type; {@code remote-exec} and {@code remote_exec} are accepted too. */
    public static Optional<LogType> fromTypeName(String name) {
        String n = name.trim();
        return Arrays.stream(values())
                .filter(t -> t.typeName.equals(n) || t.typeName.replace(' ', '-').equals(n)
                        || t.typeName.replace(' ', '_').equals(n))
                .findFirst();
    }

    public static List<String> typeNames() {
        return Arrays.stream(values()).map(LogType::typeName).toList();
    }

    /** Formats a time the way the manual's log lines print it. */
    public static String manualDate(ZonedDateTime time) {
        return MANUAL_DATE.format(time);
    }
}
