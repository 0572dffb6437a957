package dev.vigil.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventTest {
    @Test
    void operatorLinesOfTheMainLogAreEventsAndPekkoInternalsAreNot() {
        List<Event> events = Event.parse(List.of(
                "2026-11-26 16:23:48.825 n1 WARN  MACHINE FAILURE: server \"n2\" is DEAD (all 1 comm paths down) AT: Thu Nov 26 16:23:48 UTC 2026",
                "2026-11-26 16:23:48.792 n1 WARN  Cluster Node [pekko://vigil@127.0.0.1:41655] - Marking node as UNREACHABLE",
                "2026-11-26 16:23:47.527 n1 INFO  Remoting shut down.",
                "\tat some.Stack(Trace.java:1)",
                "2026-11-26 16:23:39.416 n2 INFO  hierarchy \"pg\" is out of service on \"n2\""));
        assertEquals(List.of(
                new Event("2026-11-26 16:23:48.825", "n1", "WARN",
                        "MACHINE FAILURE: server \"n2\" is DEAD (all 1 comm paths down) AT: Thu Nov 26 16:23:48 UTC 2026"),
                new Event("2026-11-26 16:23:39.416", "n2", "INFO", "hierarchy \"pg\" is out of service on \"n2\"")), events);
    }

    @Test
    void logTailKeepsTheLastLinesAndDropsACutFirstLine() {
        assertEquals(List.of("b", "c"), LogTail.last("a\nb\nc\n", 2, false));
        assertEquals(List.of("b", "c"), LogTail.last("xa\nb\nc", 5, true));
    }
}
