package dev.vigil.guard.lease;

import java.util.HashMap;
import java.util.Map;

/**
 * Measures, with this server's monotonic clock only, how long each slot has been seen unchanged.
 * Both ends are taken on the safe side: the interval starts when the first read showing the
 * current content completed (the content was on disk by then at the latest) and ends when the
 * latest read showing it started (it was still there then at the earliest). Disk timestamps and
 * other servers' clocks are never used.
 */
final class SlotTracker {

    private static final class Track {
        long signature;
        long firstSeenEnd;
        long lastSeenStart;
    }

    private final Map<Integer, Track> tracks = new HashMap<>();

    /** Records one read of a slot; returns for how long its content has been seen unchanged. */
    long record(int index, long signature, long readStart, long readEnd) {
        Track t = tracks.get(index);
        if (t == null || t.signature != signature) {
            t = new Track();
            t.signature = signature;
            t.firstSeenEnd = readEnd;
            tracks.put(index, t);
        }
        t.lastSeenStart = readStart;
        return Math.max(0, t.lastSeenStart - t.firstSeenEnd);
    }
}
