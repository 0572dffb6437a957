package dev.vigil.kits.postgresql;

import dev.vigil.core.config.spec.PostgresqlSpec;
import dev.vigil.kits.TestHost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL 15 instance for the kit tests: a data directory made by initdb as the
 * postgres OS user in a temporary directory, on a free port on 127.0.0.1, no Unix socket.
 */
final class PgInstance implements AutoCloseable {
    static final String BIN = "/usr/lib/postgresql/15/bin";

    final Path root;
    final Path dataDir;
    final int port;

    PgInstance() throws IOException {
        root = Files.createTempDirectory("vigil-kits-pg-");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        dataDir = root.resolve("data");
        port = freePort();
        TestHost.sh("chown", "postgres:postgres", root.toString());
        TestHost.sh("runuser", "-u", "postgres", "--", BIN + "/initdb", "-D", dataDir.toString(), "-A", "trust",
                "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C");
        Files.writeString(dataDir.resolve("postgresql.conf"), "\nlisten_addresses = '127.0.0.1'\n"
                + "unix_socket_directories = ''\nshared_buffers = 16MB\nmax_connections = 20\n", StandardOpenOption.APPEND);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    PostgresqlSpec spec(Optional<String> passwordFile) {
        return new PostgresqlSpec(dataDir.toString(), port, "postgres", BIN, "postgres", passwordFile);
    }

    /** The postmaster's PID from postmaster.pid; empty when there is none. */
    Optional<Long> postmasterPid() {
        try {
            return Optional.of(Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    Connection connect(String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=2"
                + "&socketTimeout=5", "postgres", password);
    }

    /** One committed write; false when the server does not take it. */
    boolean write() {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS vigil_probe (at timestamptz)");
            s.execute("INSERT INTO vigil_probe VALUES (now())");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    void pgCtl(String... args) {
        String[] argv = new String[args.length + 6];
        argv[0] = "runuser";
        argv[1] = "-u";
        argv[2] = "postgres";
        argv[3] = "--";
        argv[4] = BIN + "/pg_ctl";
        argv[5] = "-D" + dataDir;
        System.arraycopy(args, 0, argv, 6, args.length);
        TestHost.sh(argv);
    }

    /** Ends whatever still runs of the instance (by the PIDs it recorded) and deletes it. */
    @Override
    public void close() throws IOException, InterruptedException {
        Optional<Long> pid = postmasterPid();
        if (pid.isPresent() && !TestHost.gone(pid.get())) {
            TestHost.quietly("runuser", "-u", "postgres", "--", BIN + "/pg_ctl", "-D" + dataDir, "-m", "immediate", "-w", "stop");
            TestHost.kill(pid.get());
            TestHost.awaitGone(pid.get(), 5000);
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
