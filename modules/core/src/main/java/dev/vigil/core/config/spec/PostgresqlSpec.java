package dev.vigil.core.config.spec;

import java.time.Duration;
import java.util.Optional;

/**
 * A PostgreSQL instance: its data directory, port, the OS user it runs as, the server binaries,
 * and the database superuser the health check connects as (to {@code template1} on 127.0.0.1),
 * with an optional password file for that check.
 *
 * @param checkTimeout    connect, login and query timeout of the health check, whole seconds
 * @param fastStopTimeout how long {@code pg_ctl -m fast stop} may take before {@code -m immediate}
 * @param logFile         the server log {@code pg_ctl -l} writes; empty: {@code <data-dir>/postgresql.log}
 */
public record PostgresqlSpec(String dataDir, int port, String osUser, String binDir, String superuser,
                             Optional<String> passwordFile, Duration checkTimeout, Duration fastStopTimeout,
                             Optional<String> logFile) implements ResourceSpec {

    @Override
    public String id() {
        return dataDir;
    }

    @Override
    public String info() {
        return dataDir + " port=" + port + " user=" + osUser;
    }
}
