package dev.vigil.daemon;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How an operator asked the daemon to stop ({@code lkstop}, {@code lkstop -f}, {@code lkstop -n}):
 * take the local resources out of service, leave them running unprotected, or switch them over
 * to the backup first. The wire names are those of the admin API's {@code POST /v1/shutdown}.
 */
public enum ShutdownMode {
    REMOVE("remove"),
    LEAVE_RUNNING("leave-running"),
    SWITCHOVER("switchover");

    private final String wireName;

    ShutdownMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<ShutdownMode> fromWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(ShutdownMode::wireName).toList();
    }
}
