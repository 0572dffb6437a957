package dev.vigil.core.config;

import java.time.Duration;

/**
 * How long each kit action of one resource may take ({@code timeouts { restore, remove,
 * quick-check, recover }}). An action that runs out of time is killed with everything it started
 * and counts as failed. The probe at start-up (is it already running here?) shares the
 * quick-check limit.
 */
public record ActionTimeouts(Duration restore, Duration remove, Duration quickCheck, Duration recover) {
}
