package dev.vigil.kits;

import java.time.Duration;

/**
 * Tunables of the filesystem kit.
 *
 * @param timeouts       restore 300 s (fsck may be long), remove 120 s, quickCheck 30 s, recover 300 s
 * @param umountAttempts rounds of "stop the holders, umount again" before the last resort {@code umount -l} (3)
 * @param holderGrace    how long holders get after SIGTERM before SIGKILL, and after SIGKILL (3 s)
 */
public record FilesystemKitOptions(KitTimeouts timeouts, int umountAttempts, Duration holderGrace) {
    public FilesystemKitOptions {
        if (umountAttempts < 1) {
            throw new IllegalArgumentException("umountAttempts must be >= 1");
        }
        KitTimeouts.positive("holderGrace", holderGrace);
    }

    public static FilesystemKitOptions defaults() {
        return new FilesystemKitOptions(KitTimeouts.of(Duration.ofSeconds(300), Duration.ofSeconds(120),
                Duration.ofSeconds(30), Duration.ofSeconds(300)), 3, Duration.ofSeconds(3));
    }

    public FilesystemKitOptions withTimeouts(KitTimeouts t) {
        return new FilesystemKitOptions(t, umountAttempts, holderGrace);
    }

    public FilesystemKitOptions withUnmount(int attempts, Duration grace) {
        return new FilesystemKitOptions(timeouts, attempts, grace);
    }
}
