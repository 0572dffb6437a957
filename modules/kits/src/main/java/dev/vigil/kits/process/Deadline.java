package dev.vigil.kits.process;

import dev.vigil.kits.FailureKind;
import java.time.Duration;

/**
 * The time budget of one kit action. Each command of the action gets what is left of it, so an
 * action with several steps never outlives its own timeout.
 */
public final class Deadline {
    private final long endNanos;
    private final Duration total;

    private Deadline(Duration total) {
        this.total = total;
        this.endNanos = System.nanoTime() + total.toNanos();
    }

    public static Deadline after(Duration total) {
        return new Deadline(total);
    }

    /** The whole budget the action started with. */
    public Duration total() {
        return total;
    }

    public Duration remaining() {
        long left = endNanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    public boolean expired() {
        return remaining().isZero();
    }

    /** The remaining time, but at most {@code cap}: the timeout for one step of the action. */
    public Duration cap(Duration cap) {
        Duration left = remaining();
        return left.compareTo(cap) < 0 ? left : cap;
    }

    /** A step that failed once the action's time had run out is TIMED_OUT, whatever it printed. */
    public FailureKind timedOutOr(FailureKind otherwise) {
        return expired() ? FailureKind.TIMED_OUT : otherwise;
    }
}
