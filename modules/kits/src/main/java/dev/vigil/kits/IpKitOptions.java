package dev.vigil.kits;

import java.time.Duration;

/**
 * Tunables of the IP kit (the original's IP_* parameters).
 *
 * @param timeouts      restore 30 s, remove 15 s, quickCheck 12 s (IP_QUICKCHECK_TIMEOUT), recover 30 s
 * @param pingTries     rounds over the ping list before a check fails (IP_PINGTRIES, 3)
 * @param pingTimeout   how long one ping waits for its answer (IP_PINGTIME, 1 s; whole seconds)
 * @param checkUnique   refuse to bring the address up when another host answers for it (NOIPUNIQUE=0, true)
 * @param dadProbes     ARP probes of that duplicate-address check, about one second each (2)
 * @param announceCount gratuitous ARP packets sent after the address is added, one second apart (2)
 */
public record IpKitOptions(KitTimeouts timeouts, int pingTries, Duration pingTimeout, boolean checkUnique,
                           int dadProbes, int announceCount) {
    public IpKitOptions {
        if (pingTries < 1 || dadProbes < 1 || announceCount < 0) {
            throw new IllegalArgumentException("pingTries and dadProbes must be >= 1, announceCount >= 0");
        }
        KitTimeouts.positive("pingTimeout", pingTimeout);
    }

    public static IpKitOptions defaults() {
        return new IpKitOptions(KitTimeouts.of(Duration.ofSeconds(30), Duration.ofSeconds(15), Duration.ofSeconds(12),
                Duration.ofSeconds(30)), 3, Duration.ofSeconds(1), true, 2, 2);
    }

    public IpKitOptions withTimeouts(KitTimeouts t) {
        return new IpKitOptions(t, pingTries, pingTimeout, checkUnique, dadProbes, announceCount);
    }

    public IpKitOptions withArp(boolean unique, int probes, int announcements) {
        return new IpKitOptions(timeouts, pingTries, pingTimeout, unique, probes, announcements);
    }

    public IpKitOptions withPingTries(int tries) {
        return new IpKitOptions(timeouts, tries, pingTimeout, checkUnique, dadProbes, announceCount);
    }
}
