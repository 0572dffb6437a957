package dev.vigil.kits;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each action of one kit may take. {@link RecoveryKit#probe()} shares the quickCheck
 * timeout. Every command of an action gets what is left of the action's budget.
 */
public record KitTimeouts(Duration restore, Duration remove, Duration quickCheck, Duration recover) {
    public KitTimeouts {
        positive("restore", restore);
        positive("remove", remove);
        positive("quickCheck", quickCheck);
        positive("recover", recover);
    }

    static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
    }

    public static KitTimeouts of(Duration restore, Duration remove, Duration quickCheck, Duration recover) {
        return new KitTimeouts(restore, remove, quickCheck, recover);
    }
}
