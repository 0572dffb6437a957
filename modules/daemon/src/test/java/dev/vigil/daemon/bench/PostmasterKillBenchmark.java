package dev.vigil.daemon.bench;

import dev.vigil.core.ResourceState;
import dev.vigil.daemon.TestDaemon;
import dev.vigil.daemon.TestSupport;
import dev.vigil.kits.TestHost;
import dev.vigil.kits.postgresql.PgInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * How long PostgreSQL takes writes again after its postmaster is SIGKILLed, from a client's point
 * of view, with Vigil repairing it: a daemon in this JVM (real kits, default PostgreSQL settings:
 * check every 1 s, the postmaster watched) protects a real PostgreSQL 15 on loopback; a client
 * thread commits a row every 10 ms and, after a failure, opens a fresh connection every 50 ms.
 * Each round SIGKILLs the postmaster and measures until the first commit on the restarted
 * instance succeeds: the first on a connection opened after the kill. (A backend of the killed
 * postmaster may still commit for a few milliseconds before it notices its parent is gone; such
 * a commit says nothing about the service being back, so it is not counted.) Prints every
 * round, the median and the worst.
 *
 * <p>Not a test: run it with {@code integration-tests/bench/postmaster-kill.sh [ROUNDS]} as root
 * (docs/benchmarks.md).
 */
public final class PostmasterKillBenchmark {
    private static final Duration TARGET = Duration.ofMillis(1000);

    /** A committed write: when its connection was opened and when its commit returned (System.nanoTime). */
    private record Commit(long connected, long done) {
    }

    private final ConcurrentLinkedDeque<Commit> commits = new ConcurrentLinkedDeque<>();
    private volatile boolean running = true;

    private PostmasterKillBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        if (!TestHost.isRoot() || !TestHost.found(PgInstance.BIN + "/initdb")) {
            System.err.println("postmaster-kill benchmark: needs root and PostgreSQL 15 (" + PgInstance.BIN + ")");
            System.exit(2);
        }
        System.exit(new PostmasterKillBenchmark().run(rounds));
    }

    private int run(int rounds) throws Exception {
        Path dir = Files.createTempDirectory("vigil-bench");
        try (PgInstance pg = new PgInstance(); TestDaemon daemon = TestDaemon.start(dir, """
                  hierarchies = [ { tag = "pg", priorities { n1 = 1 }, resources = [
                    { tag = "pg", type = postgresql, data-dir = "%s", port = %d } ] } ]
                """.formatted(pg.dataDir, pg.port))) {
            daemon.await("pg", ResourceState.ISP, Duration.ofSeconds(60));
            Thread client = new Thread(() -> commitEvery10Ms(pg), "bench-client");
            client.start();
            List<Long> millis = new ArrayList<>();
            try {
                for (int i = 1; i <= rounds; i++) {
                    awaitSteadyWrites(daemon);
                    long pid = pg.postmasterPid().orElseThrow();
                    int logFrom = daemon.mainLog().length();
                    long killedAtMillis = System.currentTimeMillis();
                    long killed = System.nanoTime();
                    TestHost.kill(pid);
                    long firstCommit = awaitCommitOnAConnectionOpenedAfter(killed);
                    long ms = TimeUnit.NANOSECONDS.toMillis(firstCommit - killed);
                    millis.add(ms);
                    TestSupport.await("the recovery logged", Duration.ofSeconds(10),
                            () -> daemon.mainLog().indexOf("succeeded (attempt", logFrom) > 0);
                    System.out.printf("round %2d: SIGKILL of postmaster pid %d -> first commit after %d ms   (%s)%n", i,
                            pid, ms, steps(daemon.mainLog().substring(logFrom), killedAtMillis));
                }
            } finally {
                running = false;
                client.join(5000);
            }
            return report(millis);
        } finally {
            TestSupport.deleteRecursively(dir);
        }
    }

    private static int report(List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        long worst = sorted.get(n - 1);
        System.out.printf("SIGKILL of the postmaster to the first successful commit, %d rounds: median %.0f ms, "
                + "worst %d ms (target: median <= %d ms)%n", n, median, worst, TARGET.toMillis());
        return 0;
    }

    /** The daemon's steps after a kill, in ms after it, from its main log's timestamps. */
    private static String steps(String log, long killedAtMillis) {
        String[][] marks = {{"; checking it now", "noticed"}, {"RECOVERY class=", "check failed"},
                {": started PostgreSQL", "pg_ctl start done"}, {"succeeded (attempt", "answering"}};
        StringBuilder out = new StringBuilder();
        for (String line : log.lines().toList()) {
            for (String[] m : marks) {
                if (line.contains(m[0]) && line.length() > 23) {
                    long at = LocalDateTime.parse(line.substring(0, 23).replace(' ', 'T'))
                            .atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
                    out.append(out.length() == 0 ? "" : ", ").append(m[1]).append(" +").append(at - killedAtMillis);
                }
            }
        }
        return out.toString();
    }

    /** The client: one INSERT + commit every 10 ms; after any failure a fresh connection every 50 ms. */
    private void commitEvery10Ms(PgInstance pg) {
        String url = "jdbc:postgresql://127.0.0.1:" + pg.port + "/postgres?connectTimeout=1&socketTimeout=2";
        while (running) {
            long attempt = System.nanoTime();
            try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS bench (at timestamptz)");
                while (running) {
                    s.execute("INSERT INTO bench VALUES (now())");
                    commits.add(new Commit(attempt, System.nanoTime()));
                    trim();
                    sleep(10);
                }
            } catch (SQLException e) {
                sleep(50);
            }
        }
    }

    private void trim() {
        while (commits.size() > 10_000) {
            commits.pollFirst();
        }
    }

    /** Writes flow again and the daemon has had a second to check the new postmaster (and watch it). */
    private void awaitSteadyWrites(TestDaemon daemon) {
        TestSupport.await("steady writes with the hierarchy in service", Duration.ofSeconds(60), () -> {
            Commit last = commits.peekLast();
            return last != null && System.nanoTime() - last.done() < 100_000_000L
                    && daemon.status("pg").state() == ResourceState.ISP;
        });
        sleep(1500);
    }

    private long awaitCommitOnAConnectionOpenedAfter(long killed) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            for (Commit c : commits) {
                if (c.connected() > killed) {
                    return c.done();
                }
            }
            sleep(5);
        }
        throw new IllegalStateException("no commit within 120 s of the SIGKILL");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
