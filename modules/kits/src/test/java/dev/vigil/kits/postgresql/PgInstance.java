package dev.vigil.kits.postgresql;

import dev.vigil.core.config.spec.PostgresqlSpec;
import dev.vigil.kits.TestHost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL 15 instance for the kit and daemon tests: a data directory made by
 * initdb as the postgres OS user, on a free port on 127.0.0.1, no Unix socket. By default in a
 * temporary directory it deletes again; or in a given directory reached through a command prefix
 * (e.g. {@code nsenter -t PID -m} into the private mount namespace of a test disk), where every
 * file of the instance is handled by commands behind that prefix.
 */
public final class PgInstance implements AutoCloseable {
    public static final String BIN = "/usr/lib/postgresql/15/bin";

    public final Path root;
    public final Path dataDir;
    public final int port;
    private final List<String> prefix;
    private final boolean ownRoot;

    public PgInstance() throws IOException {
        this(Files.createTempDirectory("vigil-kits-pg-"), List.of(), true);
    }

    /**
     * An instance whose data directory is {@code <root>/data}, {@code root} an existing directory
     * as seen behind {@code prefix}; the caller deletes {@code root}.
     */
    public PgInstance(Path root, List<String> prefix) throws IOException {
        this(root, prefix, false);
    }

    private PgInstance(Path root, List<String> prefix, boolean ownRoot) throws IOException {
        this.root = root;
        this.prefix = List.copyOf(prefix);
        this.ownRoot = ownRoot;
        this.dataDir = root.resolve("data");
        this.port = freePort();
        run("chmod", "755", root.toString());
        run("chown", "postgres:postgres", root.toString());
        run("runuser", "-u", "postgres", "--", BIN + "/initdb", "-D", dataDir.toString(), "-A", "trust",
                "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C");
        appendToConf("listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\nshared_buffers = 16MB\n"
                + "max_connections = 20\n");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Runs a setup command behind the prefix; returns its output, throws when it fails. */
    private String run(String... argv) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(argv));
        return TestHost.sh(all.toArray(new String[0]));
    }

    /** Appends lines to postgresql.conf (as the file's owner sees it, behind the prefix). */
    public void appendToConf(String lines) {
        run("sh", "-c", "printf '%s' \"$1\" >> \"$2\"", "append", "\n" + lines, dataDir.resolve("postgresql.conf").toString());
    }

    /** The check on template1 as postgres through the TCP port, with reference.conf's tunables. */
    public PostgresqlSpec spec(Optional<String> passwordFile) {
        return spec(passwordFile, port, BIN, "postgres");
    }

    PostgresqlSpec spec(Optional<String> passwordFile, int checkPort, String binDir, String osUser) {
        return new PostgresqlSpec(dataDir.toString(), checkPort, osUser, binDir, "postgres", passwordFile,
                Duration.ofSeconds(2), Duration.ofSeconds(60), Optional.empty());
    }

    /** The postmaster's PID from postmaster.pid; empty when there is none. */
    public Optional<Long> postmasterPid() {
        try {
            String text = run("sh", "-c", "cat \"$1\" 2>/dev/null || true", "cat", dataDir.resolve("postmaster.pid").toString());
            return Optional.of(Long.parseLong(text.lines().findFirst().orElse("").trim()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    public Connection connect(String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=2"
                + "&socketTimeout=5", "postgres", password);
    }

    /** One committed write; false when the server does not take it. */
    public boolean write() {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS vigil_probe (at timestamptz)");
            s.execute("INSERT INTO vigil_probe VALUES (now())");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** {@code pg_ctl -D DATA ARGS…} as postgres, behind the prefix; throws when it fails. */
    public void pgCtl(String... args) {
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", "postgres", "--", BIN + "/pg_ctl", "-D" + dataDir));
        argv.addAll(List.of(args));
        run(argv.toArray(new String[0]));
    }

    /** Ends the postmaster of postmaster.pid, if it runs (by its PID): pg_ctl -m immediate, then SIGKILL. */
    public void stop() throws InterruptedException {
        Optional<Long> pid = postmasterPid();
        if (pid.isPresent() && !TestHost.gone(pid.get())) {
            List<String> argv = new ArrayList<>(prefix);
            argv.addAll(List.of("runuser", "-u", "postgres", "--", BIN + "/pg_ctl", "-D" + dataDir, "-m", "immediate",
                    "-w", "stop"));
            TestHost.quietly(argv.toArray(new String[0]));
            TestHost.kill(pid.get());
            TestHost.awaitGone(pid.get(), 5000);
        }
    }

    /** Ends whatever still runs of the instance (by the PID it recorded) and deletes its own directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        if (!ownRoot) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
