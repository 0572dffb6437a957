package dev.vigil.core.users;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The three GUI roles of the original product, each allowed what the one before it is, and more:
 * a guest views status, logs and properties; an operator also brings hierarchies in and out of
 * service; an administrator also changes properties (the shutdown strategy).
 */
public enum Role {
    GUEST, OPERATOR, ADMINISTRATOR;

    /** The word of the users file and of {@code lkpasswd -guest|-operator|-administrator}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }

    public static Optional<Role> fromWord(String word) {
        return Arrays.stream(values()).filter(r -> r.word().equals(word)).findFirst();
    }
}
