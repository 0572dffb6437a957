package dev.vigil.kits.postgresql;

import dev.vigil.core.config.spec.PostgresqlSpec;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * The manual's PostgreSQL health check: a JDBC connection to {@code template1} on
 * 127.0.0.1:PORT as the superuser, {@code SELECT 1}, short timeouts. It sorts what goes wrong:
 * the server rejecting the check (pg_hba.conf, password, missing database or privilege) is the
 * operator's to fix and the same on every server; a refused connection or a timeout is a failed
 * instance. The connection leaves from the JVM, in the daemon's own network namespace.
 */
final class HealthCheck {
    enum Verdict {
        /** Connected and {@code SELECT 1} answered. */
        OK,
        /** The server answered but rejected the check: pg_hba.conf, password, database, privileges. */
        REJECTED,
        /** Nothing listens on the port. */
        REFUSED,
        /** The server is starting up, shutting down or in crash recovery (SQLState 57P03). */
        NOT_READY,
        /** No answer within the check timeout. */
        NO_ANSWER,
        /** Anything else. */
        ERROR
    }

    /** A verdict with the message that explains it. */
    record Outcome(Verdict verdict, String message) {
        boolean answered() {
            return verdict == Verdict.OK || verdict == Verdict.REJECTED;
        }
    }

    private static final Driver DRIVER = new Driver();

    private final PostgresqlSpec spec;
    private final int timeoutSeconds;

    HealthCheck(PostgresqlSpec spec) {
        this.spec = spec;
        this.timeoutSeconds = (int) Math.max(1, spec.checkTimeout().toSeconds());
    }

    String target() {
        return "template1 on 127.0.0.1:" + spec.port() + " as " + spec.superuser();
    }

    Outcome run() {
        Properties props = new Properties();
        props.setProperty("user", spec.superuser());
        props.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        // Every read, from the connection's start on, is bounded by socketTimeout. No loginTimeout:
        // with it the driver makes each connection on a thread of its own, one more thread every check.
        props.setProperty("socketTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("ApplicationName", "vigil quickCheck");
        props.setProperty("gssEncMode", "disable");
        Optional<String> passwordFile = spec.passwordFile();
        if (passwordFile.isPresent()) {
            PasswordFile.Lookup lookup = PasswordFile.read(Path.of(passwordFile.get()), spec.port(), spec.superuser());
            if (lookup.problem().isPresent()) {
                return new Outcome(Verdict.REJECTED, lookup.problem().get());
            }
            props.setProperty("password", lookup.password().orElseThrow());
        }
        String url = "jdbc:postgresql://127.0.0.1:" + spec.port() + "/template1";
        try (Connection c = DRIVER.connect(url, props); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return new Outcome(Verdict.OK, "answered");
        } catch (SQLException e) {
            return classify(e);
        }
    }

    private Outcome classify(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = String.valueOf(e.getMessage()).replace('\n', ' ').strip();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (state.equals("08004") && message.toLowerCase(java.util.Locale.ROOT).contains("password")) {
            return new Outcome(Verdict.REJECTED, "PostgreSQL asks for a password for " + target()
                    + " (pg_hba.conf) but " + (spec.passwordFile().isPresent() ? "the password-file gave none"
                    : "no password-file is configured for the check")
                    + ": set password-file, or let the check in through pg_hba.conf (" + message + ")");
        }
        if (state.equals("28P01")) {
            return new Outcome(Verdict.REJECTED, "password authentication failed for " + target()
                    + ": the password in " + spec.passwordFile().orElse("(no password-file)")
                    + " is wrong, or pg_hba.conf demands another method (" + message + ")");
        }
        if (state.startsWith("28")) {
            return new Outcome(Verdict.REJECTED, "PostgreSQL rejected the health check (" + target()
                    + "): " + message + " — allow it in pg_hba.conf");
        }
        if (state.equals("3D000") || state.startsWith("42")) {
            return new Outcome(Verdict.REJECTED, "the health check (" + target() + ") cannot run: " + message);
        }
        if (state.equals("57P03")) {
            return new Outcome(Verdict.NOT_READY, message);
        }
        if (root instanceof SocketTimeoutException) {
            return new Outcome(Verdict.NO_ANSWER, "PostgreSQL did not answer within " + timeoutSeconds + " s ("
                    + target() + "): " + message);
        }
        if (root instanceof ConnectException) {
            return new Outcome(Verdict.REFUSED, "connection to 127.0.0.1:" + spec.port() + " refused");
        }
        return new Outcome(Verdict.ERROR, "health check (" + target() + ") failed: " + message
                + (state.isEmpty() ? "" : " [SQLState " + state + "]"));
    }
}
