package dev.vigil.daemon.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The daemon's stdout under systemd: syslog priorities journald understands, no timestamps. */
class JournalLayoutTest {
    private final Logger logger = new LoggerContext().getLogger("vigil.test");

    private String layout(Level level, String message, Map<String, String> mdc) {
        LoggingEvent e = new LoggingEvent(Logger.class.getName(), logger, level, message, null, null);
        e.setMDCPropertyMap(mdc);
        return new JournalLayout("n1").doLayout(e);
    }

    @Test
    void eachLineStartsWithItsSyslogPriorityAndTheServer() {
        assertEquals("<4>n1 MACHINE FAILURE: server \"n2\" is DEAD\n",
                layout(Level.WARN, "MACHINE FAILURE: server \"n2\" is DEAD", Map.of()));
        assertEquals("<3>n2 boom\n", layout(Level.ERROR, "boom", Map.of(OperatorLog.SERVER_KEY, "n2")));
        assertEquals("<6>", JournalLayout.priority(Level.INFO));
        assertEquals("<7>", JournalLayout.priority(Level.DEBUG));
    }

    @Test
    void aThrowableFollowsItsLine() {
        LoggingEvent e = new LoggingEvent(Logger.class.getName(), logger, Level.ERROR, "failed", new IllegalStateException("x"),
                null);
        e.setMDCPropertyMap(Map.of());
        String text = new JournalLayout("n1").doLayout(e);
        assertTrue(text.startsWith("<3>n1 failed\njava.lang.IllegalStateException: x\n"), text);
    }

    @Test
    void stdoutCountsAsTheJournalOnlyWhenItIsTheSocketJournalStreamNames() throws Exception {
        assertFalse(JournalLayout.stdoutIsJournal(Map.of()));
        assertFalse(JournalLayout.stdoutIsJournal(Map.of("JOURNAL_STREAM", "garbage")));
        // The test's stdout is a pipe or a file, never the journal socket, even when its inode is named.
        String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
        String inode = target.replaceAll("\\D", "");
        assertFalse(JournalLayout.stdoutIsJournal(Map.of("JOURNAL_STREAM", "8:" + inode)), target);
    }
}
