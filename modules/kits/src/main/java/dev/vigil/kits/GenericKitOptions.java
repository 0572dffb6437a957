package dev.vigil.kits;

import java.time.Duration;

/**
 * Tunables of the generic (user script) kit.
 *
 * @param timeouts each script's time limit: restore 300 s, remove 300 s, quickCheck 60 s, recover 300 s
 */
public record GenericKitOptions(KitTimeouts timeouts) {

    public static GenericKitOptions defaults() {
        return new GenericKitOptions(KitTimeouts.of(Duration.ofSeconds(300), Duration.ofSeconds(300),
                Duration.ofSeconds(60), Duration.ofSeconds(300)));
    }
}
