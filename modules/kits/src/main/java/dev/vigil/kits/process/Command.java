package dev.vigil.kits.process;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One command a kit runs: its argument vector (no shell involved), the OS user to run it as (via
 * {@code runuser}; empty = the daemon's user) and the time it may take.
 */
public record Command(List<String> argv, Optional<String> user, Duration timeout) {
    public Command {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        Objects.requireNonNull(user, "user");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout " + timeout);
        }
    }

    public static Command of(Duration timeout, String... argv) {
        return new Command(List.of(argv), Optional.empty(), timeout);
    }

    public static Command of(Duration timeout, List<String> argv) {
        return new Command(argv, Optional.empty(), timeout);
    }

    public Command asUser(String osUser) {
        return new Command(argv, Optional.of(osUser), timeout);
    }

    /** The command as an operator would type it, for messages and logs. */
    public String display() {
        StringBuilder sb = new StringBuilder();
        user.ifPresent(u -> sb.append("(as ").append(u).append(") "));
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            sb.append(i == 0 ? "" : " ").append(a.isEmpty() || a.matches(".*[\\s'\"].*") ? "'" + a + "'" : a);
        }
        return sb.toString();
    }
}
