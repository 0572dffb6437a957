package dev.vigil.daemon.notify;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The daemon's stdout lines when systemd hands stdout to the journal (vigil.service): each line
 * starts with its syslog priority ({@code <3>} error, {@code <4>} warning, {@code <6>} info,
 * {@code <7>} debug, which journald reads as the entry's priority, so {@code journalctl -u vigil
 * -p warning} works) and carries no timestamp of its own (the journal stamps every entry).
 * Anywhere else stdout keeps the log files' line shape.
 */
final class JournalLayout extends LayoutBase<ILoggingEvent> {
    private final String server;

    JournalLayout(String server) {
        this.server = server;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder sb = new StringBuilder(128).append(priority(event.getLevel()));
        String mdcServer = event.getMDCPropertyMap().get(OperatorLog.SERVER_KEY);
        sb.append(mdcServer == null ? server : mdcServer).append(' ').append(event.getFormattedMessage()).append('\n');
        if (event.getThrowableProxy() != null) {
            sb.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
        }
        return sb.toString();
    }

    static String priority(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return "<3>";
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return "<4>";
        }
        return level.isGreaterOrEqual(Level.INFO) ? "<6>" : "<7>";
    }

    /**
     * True when this process's stdout is the journal stream systemd names in
     * {@code JOURNAL_STREAM} ("device:inode"; compared with the inode of fd 1, as sd_journal_stream_fd(3)
     * advises, so a variable inherited by a process started from a service's shell does not count).
     */
    static boolean stdoutIsJournal(Map<String, String> env) {
        String stream = env.get("JOURNAL_STREAM");
        if (stream == null || stream.indexOf(':') < 0) {
            return false;
        }
        String inode = stream.substring(stream.indexOf(':') + 1);
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
            return target.equals("socket:[" + inode + "]");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
