package dev.vigil.core.config.spec;

import java.util.Optional;

/**
 * A PostgreSQL instance: its data directory, port, the OS user it runs as, the server binaries,
 * and the database superuser the health check connects as (to {@code template1} on 127.0.0.1),
 * with an optional password file for that check.
 */
public record PostgresqlSpec(String dataDir, int port, String osUser, String binDir, String superuser,
                             Optional<String> passwordFile) implements ResourceSpec {

    @Override
    public String id() {
        return dataDir;
    }

    @Override
    public String info() {
        return dataDir + " port=" + port + " user=" + osUser;
    }
}
