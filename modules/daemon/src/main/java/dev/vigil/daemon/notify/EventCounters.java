package dev.vigil.daemon.notify;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How often each event happened on this server since the daemon started (kept across rejoins):
 * local recoveries per resource, failovers (recoveries of a failed server's hierarchies),
 * switchovers, server failures seen, comm path failures. JMX and {@code GET /metrics} read them;
 * the states themselves come from the status board.
 */
public final class EventCounters implements ClusterEvents {

    /** What is counted per resource. */
    public enum Recovery {
        INITIATED, FAILED, COMPLETE
    }

    private final Map<Recovery, Map<String, AtomicLong>> recoveries = new ConcurrentHashMap<>();
    private final AtomicLong failovers = new AtomicLong();
    private final AtomicLong switchovers = new AtomicLong();
    private final AtomicLong serverFailures = new AtomicLong();
    private final AtomicLong commPathFailures = new AtomicLong();

    /** Local recoveries of {@code tag} that reached {@code stage}. */
    public long recoveries(Recovery stage, String tag) {
        AtomicLong n = recoveries.getOrDefault(stage, Map.of()).get(tag);
        return n == null ? 0 : n.get();
    }

    /** Resource tag → count for {@code stage}, sorted by tag (only resources that had one). */
    public Map<String, Long> recoveries(Recovery stage) {
        Map<String, Long> out = new TreeMap<>();
        recoveries.getOrDefault(stage, Map.of()).forEach((tag, n) -> out.put(tag, n.get()));
        return out;
    }

    /** Takeovers of a failed server's hierarchies this server completed ({@link #serverRecoveryComplete}). */
    public long failovers() {
        return failovers.get();
    }

    /** Manual switchovers this server was asked to start. */
    public long switchovers() {
        return switchovers.get();
    }

    public long serverFailures() {
        return serverFailures.get();
    }

    public long commPathFailures() {
        return commPathFailures.get();
    }

    private void count(Recovery stage, String tag) {
        recoveries.computeIfAbsent(stage, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(tag, t -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void switchoverInitiated(String hierarchy, String toServer) {
        switchovers.incrementAndGet();
    }

    @Override
    public void serverFailureDetected(String server, String reason) {
        serverFailures.incrementAndGet();
    }

    @Override
    public void serverRecoveryComplete(String server, List<String> recovered, List<String> failed) {
        failovers.incrementAndGet();
    }

    @Override
    public void resourceRecoveryInitiated(String tag, String event) {
        count(Recovery.INITIATED, tag);
    }

    @Override
    public void resourceRecoveryFailed(String tag, String event) {
        count(Recovery.FAILED, tag);
    }

    @Override
    public void resourceRecoveryComplete(String tag, String event) {
        count(Recovery.COMPLETE, tag);
    }

    @Override
    public void commPathDown(String peer, String localAddress, String remoteAddress) {
        commPathFailures.incrementAndGet();
    }
}
