package dev.vigil.kits;

import java.time.Duration;
import java.util.Optional;

/**
 * Tunables of the PostgreSQL kit.
 *
 * @param timeouts     restore 120 s, remove 120 s, quickCheck 10 s, recover 120 s
 * @param checkTimeout connect and query timeout of the health check's JDBC connection (2 s; whole seconds)
 * @param fastStop     how long {@code pg_ctl -m fast stop} may take before {@code -m immediate} (60 s)
 * @param logFile      the server log pg_ctl writes ({@code -l}); empty = {@code <data-dir>/postgresql.log}
 */
public record PostgresqlKitOptions(KitTimeouts timeouts, Duration checkTimeout, Duration fastStop,
                                   Optional<String> logFile) {
    public PostgresqlKitOptions {
        KitTimeouts.positive("checkTimeout", checkTimeout);
        KitTimeouts.positive("fastStop", fastStop);
    }

    public static PostgresqlKitOptions defaults() {
        return new PostgresqlKitOptions(KitTimeouts.of(Duration.ofSeconds(120), Duration.ofSeconds(120),
                Duration.ofSeconds(10), Duration.ofSeconds(120)), Duration.ofSeconds(2), Duration.ofSeconds(60),
                Optional.empty());
    }

    public PostgresqlKitOptions withTimeouts(KitTimeouts t) {
        return new PostgresqlKitOptions(t, checkTimeout, fastStop, logFile);
    }

    public PostgresqlKitOptions withFastStop(Duration d) {
        return new PostgresqlKitOptions(timeouts, checkTimeout, d, logFile);
    }
}
