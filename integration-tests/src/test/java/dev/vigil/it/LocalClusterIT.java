package dev.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three daemons of the packaged distribution on loopback ports, each pair joined by two comm
 * paths, driven only through the commands an operator uses: lkstart, lcdstatus -q, lcdremexec,
 * vigil switchover, perform_action, lk_log, lkstop.
 */
class LocalClusterIT {
    private static final Duration DEAD_BOUND = Duration.ofSeconds(10);
    /**
     * Three daemons and their guards starting at once on CI's two loaded cores: forming the
     * cluster, the start-up settle and the first restore once took more than 10 s there.
     */
    private static final Duration STARTUP_BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private LocalCluster cluster;
    private final Distribution dist = Distribution.fromSystemProperty();

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void threeServersSeeEachOtherThenAKilledOneTurnsDeadAndComesBackAlive() throws Exception {
        cluster = new LocalCluster(dir, 3);
        for (String server : cluster.servers()) {
            var start = dist.run(cluster.config(server), "lkstart");
            cluster.started(server);
            assertEquals(0, start.exitCode(), server + ": " + start.output());
            assertTrue(start.output().contains("Vigil started on server " + server), start.output());
        }

        // n1 has the highest priority: it brings app-demo in service once the cluster has formed.
        for (String server : cluster.servers()) {
            String state = server.equals("n1") ? "ISP" : "OSU";
            String status = awaitStatus(server, STARTUP_BOUND, s -> s.lines().filter(l -> l.contains(" ALIVE ")).count() == 4
                    && s.lines().anyMatch(l -> l.startsWith(server) && l.contains("app-demo") && l.contains(state)));
            System.out.println("lcdstatus -q on " + server + " (all up):\n" + status);
            assertTrue(status.lines().anyMatch(l -> l.matches("n\\d\\s+UDP\\s+\\S+\\s+ALIVE\\s+2")), status);
        }
        assertTrue(cluster.appRunning("n1"));
        assertFalse(cluster.appRunning("n2") || cluster.appRunning("n3"), "in service on one server only");

        // n2's own lcdstatus, run on n2 through the cluster: its PATH has bin/, its VIGIL_CONF is n2's.
        var remote = dist.run(cluster.config("n1"), "lcdremexec", "-d", "n2", "--", "lcdstatus", "-q");
        assertEquals(0, remote.exitCode(), remote.output());
        assertTrue(remote.output().lines().anyMatch(l -> l.startsWith("n2") && l.contains("app-demo")), remote.output());
        var exit = dist.run(cluster.config("n1"), "lcdremexec", "-d", "n3", "--", "sh", "-c", "exit 4");
        assertEquals(4, exit.exitCode(), exit.output());
        var remoteLog = dist.run(cluster.config("n2"), "lk_log", "remote exec");
        assertTrue(remoteLog.output().contains(" n2 INFO  request from n1 to n2: lcdstatus -q: exit 0 after "),
                remoteLog.output());

        // The manual switchover, two-phase: n1's daemon runs perform_action on n2 through the cluster
        // connection; n1 takes app-demo out of service, then n2 brings it in service.
        var moved = dist.run(cluster.config("n1"), "vigil", "switchover", "app-demo", "--to", "n2", "--json");
        assertEquals(0, moved.exitCode(), moved.output());
        assertTrue(moved.output().contains("\"to\" : \"n2\""), moved.output());
        assertTrue(cluster.appRunning("n2"));
        assertFalse(cluster.appRunning("n1"));
        awaitLog("n1", "vigil.log", "switchover of hierarchy \"app-demo\" to \"n2\" complete: perform_action -t app-demo "
                + "-a restore on n2: ");
        var again = dist.run(cluster.config("n1"), "vigil", "switchover", "app-demo", "--to", "n2");
        assertEquals(0, again.exitCode(), "already there: nothing to do, " + again.output());

        // A command still running on n3 when n3 dies: lcdremexec answers once n3's heartbeats stop,
        // not after the command's timeout (15 min by default).
        Path sleeperPid = dir.resolve("sleeper.pid");
        CompletableFuture<Distribution.Result> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return dist.run(cluster.config("n1"), "lcdremexec", "-d", "n3", "--", "sh", "-c",
                        "echo $$ > " + sleeperPid + "; exec sleep 60");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long sleeper = awaitPid(sleeperPid);
        cluster.startedProcess(sleeper);

        long t0 = System.nanoTime();
        cluster.kill("n3");
        Distribution.Result lost = inFlight.get(DEAD_BOUND.toSeconds(), TimeUnit.SECONDS);
        System.out.printf("lcdremexec to n3 answered %d ms after n3 was killed: %s%n", (System.nanoTime() - t0) / 1_000_000,
                lost.output().strip());
        assertEquals(9, lost.exitCode(), lost.output());
        assertTrue(lost.output().contains("server \"n3\" stopped answering heartbeats on the cluster connection")
                && lost.output().contains("may or may not have run to its end there"), lost.output());
        ProcessHandle.of(sleeper).ifPresent(ProcessHandle::destroyForcibly);
        awaitLog("n1", "remote-exec.log", ": failed: no answer: n3 stopped answering heartbeats on the cluster connection ");
        for (String survivor : new String[] {"n1", "n2"}) {
            String status = awaitStatus(survivor, s -> s.lines().anyMatch(l -> l.startsWith("n3") && l.contains("DEAD")));
            System.out.printf("lcdstatus -q on %s, %d ms after n3 was killed:%n%s%n", survivor,
                    (System.nanoTime() - t0) / 1_000_000, status);
        }
        String lcm = Files.readString(cluster.logFile("n1", "lcm.log"));
        assertTrue(lcm.contains("COMMUNICATION TO n3 BY ") && lcm.contains(" FAILED AT: "), lcm);
        var unreachable = dist.run(cluster.config("n1"), "lcdremexec", "-d", "n3", "--", "true");
        assertEquals(9, unreachable.exitCode(), unreachable.output());
        awaitLog("n1", "vigil.log", "MACHINE FAILURE: server \"n3\" is DEAD (all 2 comm paths down)");
        var log = dist.run(cluster.config("n1"), "lk_log", "LCM");
        assertEquals(0, log.exitCode(), log.output());
        assertTrue(log.output().contains("COMMUNICATION TO n3 BY "), log.output());

        var restart = dist.run(cluster.config("n3"), "lkstart");
        cluster.started("n3");
        assertEquals(0, restart.exitCode(), restart.output());
        for (String server : cluster.servers()) {
            awaitStatus(server, s -> s.lines().filter(l -> l.contains(" ALIVE ")).count() == 4);
        }

        for (String server : cluster.servers()) {
            var stop = dist.run(cluster.config(server), "lkstop");
            assertEquals(0, stop.exitCode(), server + ": " + stop.output());
        }
        assertFalse(cluster.appRunning("n1"), "lkstop took app-demo out of service");
        var down = dist.run(cluster.config("n1"), "lcdstatus", "-q");
        assertEquals(9, down.exitCode(), down.output());
        assertEquals("Vigil does not appear to be running.", down.output().strip());
    }

    /** Waits until {@code file} holds a PID (a command started through lcdremexec wrote it). */
    private long awaitPid(Path file) throws Exception {
        long deadline = System.nanoTime() + DEAD_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String pid = Files.readString(file).strip();
                if (!pid.isEmpty()) {
                    return Long.parseLong(pid);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no PID in " + file + " within " + DEAD_BOUND.toSeconds() + " s");
    }

    /** Waits until {@code server}'s log {@code file} contains {@code text}. */
    private void awaitLog(String server, String file, String text) throws Exception {
        long deadline = System.nanoTime() + DEAD_BOUND.toNanos();
        Path log = cluster.logFile(server, file);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(server + "'s " + file + " does not contain '" + text + "' after "
                + DEAD_BOUND.toSeconds() + " s");
    }

    /** Polls {@code lcdstatus -q} on {@code server} until its output satisfies {@code done}. */
    private String awaitStatus(String server, Predicate<String> done) throws Exception {
        return awaitStatus(server, DEAD_BOUND, done);
    }

    private String awaitStatus(String server, Duration bound, Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            var r = dist.run(cluster.config(server), "lcdstatus", "-q");
            last = r.output();
            if (r.exitCode() == 0 && done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("lcdstatus -q on " + server + " did not reach the expected state within "
                + bound.toSeconds() + " s; last output:\n" + last);
    }
}
