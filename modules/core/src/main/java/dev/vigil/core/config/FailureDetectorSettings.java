package dev.vigil.core.config;

import java.time.Duration;

/**
 * Timings of the heartbeat failure detector on every comm path. A server is suspected after
 * roughly {@code acceptableHeartbeatPause} without heartbeats (phi-accrual, {@code threshold}).
 */
public record FailureDetectorSettings(Duration heartbeatInterval, Duration acceptableHeartbeatPause, double threshold) {
}
