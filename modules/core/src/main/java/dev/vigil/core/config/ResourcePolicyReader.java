package dev.vigil.core.config;

import java.time.Duration;
import java.util.List;

/**
 * Reads the keys every resource type has — {@code check-interval}, {@code local-recovery-attempts}
 * and {@code timeouts { restore, remove, quick-check, recover }} — from one resource entry (over
 * {@code vigil.resource-defaults.<type>}). Returns {@code null} after recording a problem.
 */
final class ResourcePolicyReader {
    /** The keys of the {@code timeouts} object. */
    static final List<String> TIMEOUT_KEYS = List.of("restore", "remove", "quick-check", "recover");

    private static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    private ResourcePolicyReader() {
    }

    static ResourcePolicy read(ConfigReader r) {
        Duration interval = r.duration("check-interval", Duration.ofMillis(100), Duration.ofHours(1));
        Integer attempts = r.integer("local-recovery-attempts", 0, 10);
        ConfigReader t = r.object("timeouts");
        ActionTimeouts timeouts = t == null ? null : timeouts(t);
        if (interval == null || attempts == null || timeouts == null) {
            return null;
        }
        return new ResourcePolicy(interval, attempts, timeouts);
    }

    private static ActionTimeouts timeouts(ConfigReader t) {
        Duration restore = t.duration("restore", MIN_TIMEOUT, MAX_TIMEOUT);
        Duration remove = t.duration("remove", MIN_TIMEOUT, MAX_TIMEOUT);
        Duration quickCheck = t.duration("quick-check", MIN_TIMEOUT, MAX_TIMEOUT);
        Duration recover = t.duration("recover", MIN_TIMEOUT, MAX_TIMEOUT);
        if (restore == null || remove == null || quickCheck == null || recover == null) {
            return null;
        }
        return new ActionTimeouts(restore, remove, quickCheck, recover);
    }
}
