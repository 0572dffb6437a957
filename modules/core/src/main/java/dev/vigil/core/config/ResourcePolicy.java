package dev.vigil.core.config;

import java.time.Duration;

/**
 * How the daemon watches and repairs one resource, whatever its type: how often its quickCheck
 * runs while it is in service, how many times local recovery may try to repair it after a failed
 * check before the hierarchy is escalated (0: escalate at once), and each action's time limit.
 */
public record ResourcePolicy(Duration checkInterval, int localRecoveryAttempts, ActionTimeouts timeouts) {
}
