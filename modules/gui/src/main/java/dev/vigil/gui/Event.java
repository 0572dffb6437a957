package dev.vigil.gui;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operator-facing line of the main log ({@code lk_log log}) as the message area and {@code /api/v1/events}
 * show it: when, on which server, its level and its text. The main log is the event history:
 * every state change, failover decision, action and its outcome is written there in the manual's words.
 */
public record Event(String time, String server, String level, String text) {
    private static final Pattern LINE = Pattern.compile(
            "(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) (\\S+) (INFO|WARN|ERROR|DEBUG|TRACE) +(.*)");

    /** The event of a main log line; empty for a continuation line (a stack trace, a multi-line message). */
    static Optional<Event> parse(String line) {
        Matcher m = LINE.matcher(line);
        return m.matches() ? Optional.of(new Event(m.group(1), m.group(2), m.group(3), m.group(4))) : Optional.empty();
    }

    /** The operator-facing events of main log lines: Pekko's own messages about its internals are left out. */
    static List<Event> parse(List<String> lines) {
        return lines.stream().map(Event::parse).flatMap(Optional::stream).filter(Event::operatorFacing).toList();
    }

    /**
     * A line Vigil wrote for operators: they name their objects in quotes ({@code server "n2"},
     * {@code hierarchy "pg"}); Pekko's own lines (remoting, heartbeat timing) do not, or name
     * {@code pekko://} addresses.
     */
    boolean operatorFacing() {
        return text.contains("\"") && !text.contains("pekko://");
    }
}
