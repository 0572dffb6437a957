package dev.vigil.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class LeaseTimingsTest {

    @Test
    void defaultsSatisfyEveryInequality() {
        LeaseTimings d = LeaseTimings.DEFAULTS;
        assertEquals(List.of(), LeaseTimings.problems(d.renewInterval(), d.ioTimeout(), d.renewTimeout(),
                d.guardTimeout(), d.fenceTimeout(), d.safetyMargin(), d.leaseTimeout()));
        assertEquals(Duration.ofMillis(400), d.acquireWait());
        assertEquals(Duration.ofMillis(700), d.fenceBound());
        assertTrue(d.renewTimeout().plus(d.fenceTimeout()).plus(d.safetyMargin()).compareTo(d.leaseTimeout()) <= 0);
    }

    @Test
    void leaseTimeoutTooShortForTheHolderToFenceIsRejectedWithTheNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LeaseTimings.ofMillis(100, 200, 500, 500, 200, 150, 800));
        assertTrue(e.getMessage().contains("renew-timeout + fence-timeout + safety-margin (500 + 200 + 150 = 850 ms)"
                + " must not exceed lease-timeout (800 ms)"), e.getMessage());
    }

    @Test
    void guardLaterThanTheDaemonIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LeaseTimings.ofMillis(100, 200, 500, 600, 200, 150, 2000));
        assertTrue(e.getMessage().contains("guard-timeout (600 ms) must not exceed renew-timeout (500 ms)"),
                e.getMessage());
    }

    @Test
    void renewTimeoutThatOneFailedRenewalWouldExhaustIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LeaseTimings.ofMillis(200, 300, 600, 600, 200, 150, 2000));
        assertTrue(e.getMessage().contains("renew-timeout (600 ms) must be at least 2 x renew-interval + io-timeout"
                + " (700 ms)"), e.getMessage());
    }

    @Test
    void everyViolationIsListedAtOnce() {
        List<String> p = LeaseTimings.problems(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(500),
                Duration.ofMillis(300), Duration.ofMillis(200), Duration.ofMillis(10), Duration.ofMillis(600));
        assertEquals(5, p.size(), String.join("\n", p));
        assertTrue(p.get(0).startsWith("safety-margin (10 ms) must be at least 50 ms"), p.get(0));
    }

    @Test
    void nonPositiveValuesAreRejected() {
        List<String> p = LeaseTimings.problems(Duration.ZERO, Duration.ofMillis(-1), Duration.ofMillis(500),
                Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofMillis(150), Duration.ofMillis(1000));
        assertEquals(List.of("renew-interval (0 ms) must be positive", "io-timeout (-1 ms) must be positive"), p);
    }
}
