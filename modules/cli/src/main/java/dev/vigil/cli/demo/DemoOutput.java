package dev.vigil.cli.demo;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * What the demo prints, line by line and flushed at once (someone watches it, or a test reads
 * it while the demo runs); the watch and the shutdown hook print from their own threads.
 * Events carry the time they were seen.
 */
final class DemoOutput {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final PrintWriter out;
    private final PrintWriter err;
    private final ZoneId zone;
    private boolean eventsOff;

    DemoOutput(PrintWriter out, PrintWriter err, ZoneId zone) {
        this.out = out;
        this.err = err;
        this.zone = zone;
    }

    synchronized void line(String text) {
        out.println(text);
        out.flush();
    }

    /** {@code HH:mm:ss.SSS text}: something that happened in the cluster. */
    synchronized void event(String text) {
        if (!eventsOff) {
            line(TIME.format(ZonedDateTime.now(zone)) + " " + text);
        }
    }

    /** From now on the demo stops its processes itself: what the watch would see of that is not news. */
    synchronized void stopEvents() {
        eventsOff = true;
    }

    synchronized void error(String text) {
        out.flush();
        err.println(text);
        err.flush();
    }
}
