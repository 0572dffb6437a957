package dev.vigil.gui;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@link #FREE_FAILURES} failed logins in a row for one user
 * name from one address, each further attempt must wait 2, 4, 8 … up to {@link #MAX_WAIT}
 * seconds after the last failure; attempts during the wait are refused without checking the
 * password. A successful login clears the count.
 */
public final class LoginGuard {
    public static final int FREE_FAILURES = 3;
    public static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private record Failures(int count, Instant blockedUntil) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    public LoginGuard(Clock clock) {
        this.clock = clock;
    }

    /** How long {@code user} from {@code address} must still wait; zero when it may try now. */
    public Duration wait(String user, String address) {
        Failures f = failures.get(key(user, address));
        if (f == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), f.blockedUntil());
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Records a failure; returns the failures in a row and the wait before the next attempt. */
    public Failure failed(String user, String address) {
        Failures f = failures.merge(key(user, address), new Failures(1, clock.instant()), (old, one) -> {
            int count = old.count() + 1;
            return new Failures(count, clock.instant().plus(waitAfter(count)));
        });
        if (f.count() == 1) {
            return new Failure(1, Duration.ZERO);
        }
        return new Failure(f.count(), waitAfter(f.count()));
    }

    public record Failure(int inARow, Duration delay) {
    }

    public void succeeded(String user, String address) {
        failures.remove(key(user, address));
    }

    static Duration waitAfter(int failuresInARow) {
        if (failuresInARow < FREE_FAILURES) {
            return Duration.ZERO;
        }
        int exponent = Math.min(failuresInARow - FREE_FAILURES + 1, 6);
        Duration d = Duration.ofSeconds(1L << exponent);
        return d.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : d;
    }

    private static String key(String user, String address) {
        return user.toLowerCase(Locale.ROOT) + "@" + address;
    }
}
