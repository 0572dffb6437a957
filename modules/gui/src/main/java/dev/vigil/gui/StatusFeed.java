package dev.vigil.gui;

import dev.vigil.core.LogType;
import dev.vigil.core.config.LogSettings;
import dev.vigil.core.status.ClusterStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live picture every open page shares: the daemon's status polled every {@link #INTERVAL}
 * (a local HTTP request of a few hundred microseconds) and the recent events of the main log.
 * Each change gets a new version number; the server-sent-events stream of every page sends
 * what changed since the version it last sent, so a page shows a change within one interval of
 * the daemon knowing it, plus the stream's own tick.
 */
public final class StatusFeed implements AutoCloseable {
    public static final Duration INTERVAL = Duration.ofMillis(200);
    /** How many recent events the message area keeps. */
    public static final int EVENTS = 200;

    /** The latest cluster view or the reason there is none, and the recent events, each with the version it changed in. */
    public record Snapshot(long clusterVersion, ClusterView cluster, String unavailable, long eventsVersion,
                           List<Event> events) {
    }

    private final DaemonLink daemon;
    private final Path mainLog;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gui-status-feed");
        t.setDaemon(true);
        return t;
    });
    private volatile Snapshot snapshot = new Snapshot(0, null, "status not read yet", 0, List.of());
    private String lastClusterKey = "";
    private String lastEventKey = "";

    public StatusFeed(DaemonLink daemon, LogSettings logs) {
        this.daemon = daemon;
        this.mainLog = logs.dir().resolve(LogType.LOG.fileName());
    }

    public StatusFeed start() {
        timer.scheduleWithFixedDelay(this::poll, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** Reads the daemon's status and the log now; the new snapshot replaces the old one if anything changed. */
    synchronized void poll() {
        try {
            Snapshot s = snapshot;
            DaemonLink.Reply reply = daemon.status();
            ClusterStatus status = reply.ok() ? DaemonLink.parse(reply) : null;
            ClusterView view = status == null ? null : ClusterView.of(status);
            String unavailable = view != null ? null : reply.ok() ? "the daemon answered a status the GUI cannot read"
                    : reply.message();
            String clusterKey = view == null ? "!" + unavailable : Json.write(view.timeless());
            long clusterVersion = s.clusterVersion();
            if (!clusterKey.equals(lastClusterKey)) {
                clusterVersion++;
                lastClusterKey = clusterKey;
            }
            List<Event> events = s.events();
            long eventsVersion = s.eventsVersion();
            try {
                List<Event> read = Event.parse(LogTail.of(mainLog, EVENTS * 2));
                read = read.subList(Math.max(0, read.size() - EVENTS), read.size());
                String eventKey = read.size() + (read.isEmpty() ? "" : Json.write(read.get(read.size() - 1)));
                if (!eventKey.equals(lastEventKey)) {
                    events = read;
                    eventsVersion++;
                    lastEventKey = eventKey;
                }
            } catch (IOException e) {
                // The main log unreadable (rolling over, removed): keep the events shown; the next poll retries.
            }
            // generatedAt moves on every poll: keep the view fresh even when the version stays.
            snapshot = new Snapshot(clusterVersion, view == null ? s.cluster() : view, unavailable, eventsVersion, events);
        } catch (RuntimeException e) {
            snapshot = new Snapshot(snapshot.clusterVersion() + 1, snapshot.cluster(), "internal error: " + e,
                    snapshot.eventsVersion(), snapshot.events());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
