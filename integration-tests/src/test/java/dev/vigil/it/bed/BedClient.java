package dev.vigil.it.bed;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The bed's database client, a program of its own because it must run in the client's network
 * namespace ({@code ip netns exec vb-c1 java …}). Through the virtual IP:
 * <ul>
 * <li>{@code write RUN FILE}: commits one row (RUN, id) with increasing ids every 10 ms, and for each
 * acknowledged commit appends "ID EPOCH-MICROS" to FILE; after a failure it opens fresh connections,
 * a new attempt every 50 ms (staggered: JDBC's connect timeout is whole seconds), until one works.
 * Ends when its standard input closes, after 15 minutes at most.</li>
 * <li>{@code check RUN FILE}: prints "acknowledged N missing M [ids…]" for the ids of FILE that the
 * table does not hold; exit 0 when it could ask, 1 when the database did not answer within 30 s.</li>
 * </ul>
 */
public final class BedClient {
    private static final String URL = "jdbc:postgresql://" + BedConfig.VIP + ":" + BedConfig.PG_PORT
            + "/postgres?connectTimeout=1&socketTimeout=2&loginTimeout=2&user=postgres";
    private static final long MAX_RUN_MILLIS = 15 * 60_000;
    /** Enough to cover a 1 s connect timeout at one attempt per 50 ms, few enough to leave PostgreSQL connections for the health check. */
    private static final int MAX_ATTEMPTS_IN_FLIGHT = 20;

    private BedClient() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !List.of("write", "check").contains(args[0])) {
            System.err.println("usage: BedClient write|check RUN FILE");
            System.exit(2);
        }
        if (args[0].equals("write")) {
            write(args[1], Path.of(args[2]));
            System.exit(0);
        }
        System.exit(check(args[1], Path.of(args[2])) ? 0 : 1);
    }

    private static void write(String run, Path file) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread stdin = new Thread(() -> {
            try {
                System.in.readAllBytes();
            } catch (IOException e) {
                // closed either way
            }
            stop.set(true);
        });
        stdin.setDaemon(true);
        stdin.start();
        long end = System.currentTimeMillis() + MAX_RUN_MILLIS;
        ExecutorService attempts = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), true)) {
            Connection c = null;
            long id = 0;
            long next = System.nanoTime();
            while (!stop.get() && System.currentTimeMillis() < end) {
                if (c == null) {
                    c = connect(attempts, stop, end);
                    continue;
                }
                id++;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO bed_commits (run, id) VALUES (?, ?)")) {
                    ps.setString(1, run);
                    ps.setLong(2, id);
                    ps.executeUpdate();
                    out.println(id + " " + micros(Instant.now()));
                } catch (SQLException e) {
                    out.println("# " + micros(Instant.now()) + " id " + id + ": " + e.getMessage().replace('\n', ' '));
                    close(c);
                    c = null;
                    continue;
                }
                next += 10_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } else {
                    next = System.nanoTime();
                }
            }
            close(c);
        } finally {
            attempts.shutdownNow();
        }
    }

    /** A new attempt every 50 ms, each with its own 1 s connect timeout, until one succeeds; the others close theirs. */
    private static Connection connect(ExecutorService attempts, AtomicBoolean stop, long end)
            throws InterruptedException {
        AtomicReference<Connection> won = new AtomicReference<>();
        Semaphore inFlight = new Semaphore(MAX_ATTEMPTS_IN_FLIGHT);
        while (won.get() == null && !stop.get() && System.currentTimeMillis() < end) {
            if (inFlight.tryAcquire()) {
                attempts.submit(() -> {
                    try {
                        Connection c = open();
                        if (c != null && !won.compareAndSet(null, c)) {
                            close(c);
                        }
                    } finally {
                        inFlight.release();
                    }
                });
            }
            Thread.sleep(50);
        }
        return won.get();
    }

    private static Connection open() {
        try {
            Connection c = DriverManager.getConnection(URL);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS bed_commits (run text, id bigint, at timestamptz DEFAULT now(),"
                        + " PRIMARY KEY (run, id))");
            }
            return c;
        } catch (SQLException e) {
            return null;
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // a dead connection closes anyway
            }
        }
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    private static boolean check(String run, Path file) throws Exception {
        Set<Long> acked = new HashSet<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                acked.add(Long.parseLong(line.split(" ")[0]));
            }
        }
        long end = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < end) {
            Connection c = open();
            if (c == null) {
                Thread.sleep(200);
                continue;
            }
            try (c; PreparedStatement ps = c.prepareStatement("SELECT id FROM bed_commits WHERE run = ?")) {
                ps.setString(1, run);
                Set<Long> stored = new HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stored.add(rs.getLong(1));
                    }
                }
                List<Long> missing = acked.stream().filter(id -> !stored.contains(id)).sorted().toList();
                System.out.println("acknowledged " + acked.size() + " missing " + missing.size() + " "
                        + missing.subList(0, Math.min(20, missing.size())));
                return true;
            }
        }
        System.out.println("the database did not answer through " + BedConfig.VIP + " within 30 s");
        return false;
    }
}
