package dev.vigil.core.config;

import java.time.Duration;

/**
 * Timings of the heartbeat failure detector on every comm path. A server is suspected after
 * roughly {@code acceptableHeartbeatPause} without heartbeats (phi-accrual, {@code threshold}).
 */
public record FailureDetectorSettings(Duration heartbeatInterval, Duration acceptableHeartbeatPause, double threshold) {

    /**
     * Pekko Cluster's own defaults, 1 s heartbeats and a 3 s pause: the least Vigil gives Pekko's
     * failure detector on the cluster connection, whose quick verdicts come from Vigil's own
     * heartbeats on the same addresses (docs/architecture.md).
     */
    public static final FailureDetectorSettings PEKKO_DEFAULTS = new FailureDetectorSettings(Duration.ofSeconds(1),
            Duration.ofSeconds(3), 8.0);

    /**
     * The defaults of heartbeat-interval and acceptable-heartbeat-pause when a disk lease is
     * configured (Pekko Cluster's own defaults): a dead lease holder is then found by its lease
     * expiring (lease-timeout, 1 s), not by its heartbeats, so they need not be fast — and an idle
     * daemon sends a fifth of the messages. Without a lease, reference.conf's 200 ms / 1200 ms.
     */
    public static final FailureDetectorSettings WITH_LEASE = PEKKO_DEFAULTS;
}
