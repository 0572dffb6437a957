package dev.vigil.kits.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.config.spec.PostgresqlSpec;
import dev.vigil.kits.ActionResult;
import dev.vigil.kits.CheckResult;
import dev.vigil.kits.FailureKind;
import dev.vigil.kits.LogCapture;
import dev.vigil.kits.Presence;
import dev.vigil.kits.RecoveryKit;
import dev.vigil.kits.TestHost;
import dev.vigil.kits.TestResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresqlKitTest {
    private static PgInstance pg;
    private static String pristineHba;
    private final List<Long> started = new ArrayList<>();

    @BeforeAll
    static void initdb() throws Exception {
        TestHost.require("the PostgreSQL kit test", PgInstance.BIN + "/initdb", PgInstance.BIN + "/pg_ctl", "runuser", "fuser");
        assertTrue(TestHost.sh("id", "-u", "postgres").trim().matches("\\d+"), "OS user postgres");
        pg = new PgInstance();
        pristineHba = Files.readString(pg.dataDir.resolve("pg_hba.conf"));
    }

    @AfterAll
    static void dropInstance() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @AfterEach
    void stopInstance() throws Exception {
        started.forEach(TestHost::kill);
        if (pg != null) {
            Files.writeString(pg.dataDir.resolve("pg_hba.conf"), pristineHba);
            ActionResult r = kit(Optional.empty()).remove();
            assertTrue(r.succeeded(), "cleanup: " + r);
        }
    }

    private static RecoveryKit kit(Optional<String> passwordFile) {
        return kit(pg.spec(passwordFile));
    }

    /** The kit with reference.conf's PostgreSQL timeouts (120 s, quickCheck 10 s). */
    private static RecoveryKit kit(PostgresqlSpec spec) {
        return TestResources.kit("powergres-" + spec.dataDir(), spec, TestResources.timeouts(Duration.ofSeconds(120),
                Duration.ofSeconds(120), Duration.ofSeconds(10), Duration.ofSeconds(120)), List.of());
    }

    private static PostgresqlSpec withFastStopTimeout(PostgresqlSpec s, Duration fastStop) {
        return new PostgresqlSpec(s.dataDir(), s.port(), s.osUser(), s.binDir(), s.superuser(), s.passwordFile(),
                s.checkTimeout(), fastStop, s.logFile());
    }

    private static long postmaster() {
        return pg.postmasterPid().orElseThrow();
    }

    @Test
    void restoreStartsItTheCheckPassesAndRemoveStopsIt() throws Exception {
        RecoveryKit kit = kit(Optional.empty());
        assertEquals(Presence.STOPPED, kit.probe());
        ActionResult r = kit.restore();
        assertTrue(r.succeeded(), r.toString());
        assertTrue(kit.quickCheck().isHealthy());
        assertEquals(Presence.RUNNING, kit.probe());
        assertTrue(pg.write());
        ActionResult again = kit.restore();
        assertTrue(again.succeeded() && again.message().contains("already running"), again.toString());
        long pid = postmaster();
        ActionResult removed = kit.remove();
        assertTrue(removed.succeeded() && removed.message().contains("fast shutdown"), removed.toString());
        assertTrue(TestHost.awaitGone(pid, 5000), "the postmaster exits once pg_ctl stop returns");
        assertEquals(Presence.STOPPED, kit.probe());
        assertTrue(kit.remove().succeeded(), "removing a stopped instance succeeds");
        CheckResult down = kit.quickCheck();
        assertEquals("powergres,recover", down.event().map(Object::toString).orElse("healthy"));
    }

    @Test
    void aKilledPostmasterIsFailedAndRecoverBringsWritesBackFast() throws Exception {
        RecoveryKit kit = kit(Optional.empty());
        assertTrue(kit.restore().succeeded());
        List<Long> outages = new ArrayList<>();
        for (int run = 1; run <= 3; run++) {
            long pid = postmaster();
            long t0 = System.nanoTime();
            TestHost.kill(pid);
            CheckResult c = kit.quickCheck();
            long detected = System.nanoTime();
            assertEquals("powergres,recover", c.event().map(Object::toString).orElse("healthy"), c.toString());
            assertEquals(Optional.of(FailureKind.FAILED), c.kind(), c.toString());
            ActionResult r = kit.recover();
            long recovered = System.nanoTime();
            assertTrue(r.succeeded(), r.toString());
            while (!pg.write()) {
                assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "no write within 30 s");
                Thread.sleep(20);
            }
            long writing = System.nanoTime();
            outages.add((writing - t0) / 1_000_000);
            System.out.printf("postmaster SIGKILL -> accepting writes, run %d: %d ms (check %d ms, recover %d ms)%n", run,
                    (writing - t0) / 1_000_000, (detected - t0) / 1_000_000, (recovered - detected) / 1_000_000);
            assertTrue(postmaster() != pid);
        }
        Collections.sort(outages);
        System.out.printf("postmaster SIGKILL -> accepting writes: median %d ms, worst %d ms over %d runs%n",
                outages.get(outages.size() / 2), outages.get(outages.size() - 1), outages.size());
    }

    @Test
    void orphanedBackendsOfAKilledPostmasterAreKilledSoItCanStartAgain() throws Exception {
        RecoveryKit kit = kit(Optional.empty());
        assertTrue(kit.restore().succeeded());
        Connection busy = pg.connect("");
        Thread query = new Thread(() -> {
            try (Statement s = busy.createStatement()) {
                s.execute("SELECT count(*) FROM generate_series(1, 10000000000)"); // never checks for postmaster death
            } catch (Exception expected) {
                // the backend is killed under it
            }
        });
        query.start();
        try (LogCapture log = new LogCapture()) {
            Thread.sleep(300);
            long pid = postmaster();
            TestHost.kill(pid);
            assertTrue(TestHost.awaitGone(pid, 5000));
            ActionResult r = kit.recover();
            assertTrue(r.succeeded(), r.toString());
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("killing orphaned postgres processes")),
                    log.lines().toString());
            assertTrue(pg.write());
        } finally {
            query.join(10_000);
            busy.close();
        }
    }

    @Test
    void anInstanceStoppedBehindItsBackIsRestartedByRecover() {
        RecoveryKit kit = kit(Optional.empty());
        assertTrue(kit.restore().succeeded());
        pg.pgCtl("-m", "fast", "-w", "stop");
        CheckResult c = kit.quickCheck();
        assertEquals(Optional.of(FailureKind.FAILED), c.kind(), c.toString());
        assertTrue(c.failure().orElseThrow().reason().contains("no postmaster.pid"), c.toString());
        long start = System.nanoTime();
        ActionResult r = kit.recover();
        assertTrue(r.succeeded(), r.toString());
        assertTrue(r.toString().contains("shut down cleanly behind Vigil's back, started again"), r.toString());
        assertTrue(System.nanoTime() - start >= PostgresqlKit.CLEAN_STOP_GRACE_MILLIS * 1_000_000,
                "a clean stop is given its grace before the start");
        assertTrue(kit.quickCheck().isHealthy());
    }

    @Test
    void pgHbaDemandingAPasswordTheCheckLacksIsMisconfiguredAndNamesPgHba() throws Exception {
        RecoveryKit kit = kit(Optional.empty());
        assertTrue(kit.restore().succeeded());
        try (Connection c = pg.connect(""); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE postgres PASSWORD 'vigil-secret'");
        }
        Files.writeString(pg.dataDir.resolve("pg_hba.conf"), "host all all 127.0.0.1/32 md5\n" + pristineHba);
        pg.pgCtl("reload");
        Thread.sleep(300);

        CheckResult noPassword = kit.quickCheck();
        assertEquals(Optional.of(FailureKind.MISCONFIGURED), noPassword.kind(), noPassword.toString());
        assertTrue(noPassword.failure().orElseThrow().reason().contains("pg_hba.conf"), noPassword.toString());
        assertEquals(Presence.RUNNING, kit.probe(), "a server that answers with an auth error is running");
        ActionResult restore = kit.restore();
        assertEquals(Optional.of(FailureKind.MISCONFIGURED), restore.kind(), "restore cannot pass the check either");

        Path pgpass = pg.root.resolve("pgpass");
        Files.writeString(pgpass, "# the health check's password\nother:5432:*:*:nope\n127.0.0.1:" + pg.port
                + ":template1:postgres:vigil-secret\n");
        assertTrue(kit(Optional.of(pgpass.toString())).quickCheck().isHealthy());

        Path bare = pg.root.resolve("bare");
        Files.writeString(bare, "vigil-secret\n");
        assertTrue(kit(Optional.of(bare.toString())).quickCheck().isHealthy());

        Files.writeString(bare, "wrong\n");
        CheckResult wrong = kit(Optional.of(bare.toString())).quickCheck();
        assertEquals(Optional.of(FailureKind.MISCONFIGURED), wrong.kind(), wrong.toString());
        assertTrue(wrong.failure().orElseThrow().reason().contains("password authentication failed"), wrong.toString());

        CheckResult missing = kit(Optional.of(pg.root.resolve("absent").toString())).quickCheck();
        assertEquals(Optional.of(FailureKind.MISCONFIGURED), missing.kind(), missing.toString());
        assertTrue(missing.failure().orElseThrow().reason().contains("cannot read password-file"), missing.toString());

        Files.writeString(pg.dataDir.resolve("pg_hba.conf"), "host all all 127.0.0.1/32 reject\n" + pristineHba);
        pg.pgCtl("reload");
        Thread.sleep(300);
        CheckResult rejected = kit.quickCheck();
        assertEquals(Optional.of(FailureKind.MISCONFIGURED), rejected.kind(), rejected.toString());
        assertTrue(rejected.failure().orElseThrow().reason().contains("pg_hba.conf"), rejected.toString());
        Files.writeString(pg.dataDir.resolve("pg_hba.conf"), pristineHba);
        pg.pgCtl("reload");
    }

    @Test
    void aStalePostmasterPidAfterSigkillDoesNotBlockRestore() throws Exception {
        RecoveryKit kit = kit(Optional.empty());
        assertTrue(kit.restore().succeeded());
        long pid = postmaster();
        TestHost.kill(pid);
        assertTrue(TestHost.awaitGone(pid, 5000));
        assertTrue(Files.exists(pg.dataDir.resolve("postmaster.pid")), "SIGKILL leaves postmaster.pid behind");
        assertEquals(Presence.FAILED, kit.probe());
        ActionResult r = kit.restore();
        assertTrue(r.succeeded(), r.toString());
        assertTrue(pg.write());
    }

    @Test
    void theWatchOfARunningPostmasterFiresWithinAFewPollsOfItsSigkill() throws Exception {
        RecoveryKit kit = kit(Optional.empty());
        assertTrue(kit.restore().succeeded());
        long pid = postmaster();
        CompletableFuture<String> watch = kit.watch().orElseThrow();
        Thread.sleep(200);
        assertFalse(watch.isDone(), "a live postmaster does not fire the watch");
        long killed = System.nanoTime();
        TestHost.kill(pid);
        assertEquals("postmaster pid " + pid + " ended", watch.get(2, TimeUnit.SECONDS).replace(" (a zombie now)", ""));
        long millis = (System.nanoTime() - killed) / 1_000_000;
        assertTrue(millis < 500, "the watch took " + millis + " ms");
        assertTrue(kit.watch().orElseThrow().isDone(), "a postmaster gone since the check fires at once");
    }

    @Test
    void aPostmasterPidNamingAnotherLiveProgramIsRemovedAndThatProgramLeftAlone() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "300").start();
        started.add(sleeper.pid());
        Path pidFile = pg.dataDir.resolve("postmaster.pid");
        Files.writeString(pidFile, sleeper.pid() + "\n" + pg.dataDir + "\n0\n" + pg.port + "\n\n127.0.0.1\n0 0\nready\n");
        TestHost.sh("chown", "postgres:postgres", pidFile.toString());
        RecoveryKit kit = kit(Optional.empty());
        assertEquals(Presence.FAILED, kit.probe());
        ActionResult r = kit.restore();
        assertTrue(r.succeeded(), r.toString());
        assertTrue(sleeper.isAlive(), "the kit must not kill a process that is not postgres");
    }

    @Test
    void aRunningInstanceTheCheckCannotReachIsMisconfigured() {
        assertTrue(kit(Optional.empty()).restore().succeeded());
        PostgresqlSpec otherPort = pg.spec(Optional.empty(), pg.port + 1, PgInstance.BIN, "postgres");
        CheckResult c = kit(otherPort).quickCheck();
        assertEquals(Optional.of(FailureKind.MISCONFIGURED), c.kind(), c.toString());
        assertTrue(c.failure().orElseThrow().reason().contains("listens on port " + pg.port), c.toString());
    }

    @Test
    void aMissingPgCtlOrDataDirectoryIsMisconfigured() {
        PostgresqlSpec noBin = pg.spec(Optional.empty(), pg.port, "/nonexistent/bin", "postgres");
        ActionResult r = kit(noBin).restore();
        assertEquals(Optional.of(FailureKind.MISCONFIGURED), r.kind(), r.toString());
        assertTrue(r.message().contains("pg_ctl not found"), r.message());

        PostgresqlSpec noData = new PostgresqlSpec("/nonexistent/data", pg.port, "postgres", PgInstance.BIN,
                "postgres", Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(60), Optional.empty());
        ActionResult r2 = kit(noData).restore();
        assertEquals(Optional.of(FailureKind.MISCONFIGURED), r2.kind(), r2.toString());
        assertTrue(r2.message().contains("not a PostgreSQL data directory"), r2.message());
        assertEquals(Presence.STOPPED, kit(noData).probe());

        PostgresqlSpec noUser = pg.spec(Optional.empty(), pg.port, PgInstance.BIN, "vigil-no-such-user");
        ActionResult r3 = kit(noUser).restore();
        assertEquals(Optional.of(FailureKind.MISCONFIGURED), r3.kind(), r3.toString());
    }

    @Test
    void aBrokenPostgresqlConfIsMisconfiguredAndTheMessageQuotesTheServerLog() throws Exception {
        Path conf = pg.dataDir.resolve("postgresql.conf");
        String pristine = Files.readString(conf);
        try {
            Files.writeString(conf, pristine + "shared_buffers = banana\n");
            ActionResult r = kit(Optional.empty()).restore();
            assertEquals(Optional.of(FailureKind.MISCONFIGURED), r.kind(), r.toString());
            assertTrue(r.message().contains("invalid value for parameter \"shared_buffers\""), r.message());
        } finally {
            Files.writeString(conf, pristine);
        }
    }

    /**
     * A listener that accepts and never says a word (a hung postmaster, another program): the check
     * gives up after its timeout (2 s here), each read of the connection's start being bounded, and
     * runs on the calling thread (no connect thread per check).
     */
    @Test
    void aServerThatAcceptsButNeverAnswersTimesTheCheckOutWithinItsTimeout() throws Exception {
        try (java.net.ServerSocket mute = new java.net.ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
            PostgresqlSpec s = pg.spec(Optional.empty(), mute.getLocalPort(), PgInstance.BIN, "postgres");
            long started = System.nanoTime();
            CheckResult c = kit(s).quickCheck();
            long took = (System.nanoTime() - started) / 1_000_000;
            assertEquals(Optional.of(FailureKind.TIMED_OUT), c.kind(), c.toString());
            assertTrue(c.failure().orElseThrow().reason().contains("did not answer within 2 s"), c.toString());
            assertTrue(took >= 1900 && took < 4500, "gave up after " + took + " ms (check timeout 2 s)");
        }
    }

    @Test
    void aPortAnotherProgramHoldsHereIsNotAvailableHere() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(pg.port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            ActionResult r = kit(Optional.empty()).restore();
            assertEquals(Optional.of(FailureKind.NOT_AVAILABLE_HERE), r.kind(), r.toString());
            assertTrue(r.message().contains("Address already in use"), r.message());
        }
    }

    /**
     * A postmaster on a disk gone read-only under it ends at the fast shutdown but cannot delete
     * postmaster.pid: the remove is done when the process is gone (pg_ctl -w would wait out the
     * whole fast-stop-timeout for the file, then fall back to an immediate shutdown of nothing),
     * and the next restore clears the leftover file.
     */
    @Test
    void aPostmasterThatCannotDeleteItsPidFileIsStoppedWithoutWaitingForTheFile() throws Exception {
        PostgresqlSpec s = pg.spec(Optional.empty());
        RecoveryKit kit = kit(withFastStopTimeout(s, Duration.ofSeconds(30)));
        assertTrue(kit.restore().succeeded());
        long pid = postmaster();
        TestHost.sh("chmod", "a-w", s.dataDir());
        try {
            ActionResult r = kit.remove();
            assertTrue(r.succeeded(), r.toString());
            assertEquals("stopped postmaster pid " + pid + " (fast shutdown)", r.message());
            assertTrue(TestHost.gone(pid), "the postmaster is gone");
            assertTrue(java.nio.file.Files.exists(java.nio.file.Path.of(s.dataDir(), "postmaster.pid")),
                    "its postmaster.pid is left behind");
        } finally {
            TestHost.sh("chmod", "u+w", s.dataDir());
        }
        ActionResult again = kit.restore();
        assertTrue(again.succeeded(), again.toString());
        assertTrue(kit.remove().succeeded());
    }

    /**
     * The disk under a running PostgreSQL fails, reads and writes (ext4's shutdown ioctl, as
     * {@code xfs_io -c shutdown} does it: every I/O of the filesystem fails with EIO from then on):
     * postmaster.pid cannot be read, so remove finds the postmaster by its {@code -D} and SIGKILLs it
     * at once, instead of failing with "cannot tell" or trying a shutdown that cannot work there.
     */
    @Test
    void aPostmasterWhoseDiskFailedIsFoundByItsCommandLineAndKilledAtOnce() throws Exception {
        String message = removeAfterTheDiskFails("", disk -> disk.inside("perl", "-e", "open(my $f, '<', $ARGV[0]) or "
                + "die \"open: $!\"; my $how = pack('L', 2); ioctl($f, 0x8004587D, $how) or die \"EXT4_IOC_SHUTDOWN: $!\"",
                disk.mountPoint.toString()));
        assertTrue(message.endsWith("/data/postmaster.pid cannot be read, so no shutdown could write its checkpoint"),
                message);
    }

    /**
     * The disk under a running PostgreSQL stops taking writes, reads still work (ext4 mounted with
     * errors=remount-ro after an error: {@code trigger_fs_error}): remove's write check of the data
     * directory fails, so it SIGKILLs the postmaster at once instead of a fast shutdown that cannot
     * write its checkpoint and waits for its children (4 s and more on the namespace bed).
     */
    @Test
    void aPostmasterWhoseDiskTakesNoMoreWritesIsKilledAtOnceInsteadOfShutDown() throws Exception {
        String message = removeAfterTheDiskFails("errors=remount-ro", disk -> {
            String name = disk.device.substring(disk.device.lastIndexOf('/') + 1);
            TestHost.sh("sh", "-c", "echo 1 > /sys/fs/ext4/" + name + "/trigger_fs_error");
        });
        assertTrue(message.contains("/data cannot be written ("), message);
        assertTrue(message.endsWith("), so no shutdown could write its checkpoint"), message);
    }

    /** PostgreSQL on a disk of its own, in service; {@code fail} fails the disk; remove's message. */
    private static String removeAfterTheDiskFails(String mountOptions,
                                                  java.util.function.Consumer<dev.vigil.kits.filesystem.SharedDisk> fail)
            throws Exception {
        TestHost.require("PostgreSQL on a disk that fails", "losetup", "mkfs.ext4", "perl");
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("vigil-kits-deaddisk-");
        TestHost.sh("chmod", "755", dir.toString());
        try (dev.vigil.kits.filesystem.SharedDisk disk = new dev.vigil.kits.filesystem.SharedDisk(dir, "160M")) {
            java.nio.file.Files.createDirectories(disk.mountPoint);
            if (mountOptions.isEmpty()) {
                disk.inside("mount", disk.device, disk.mountPoint.toString());
            } else {
                disk.inside("mount", "-o", mountOptions, disk.device, disk.mountPoint.toString());
            }
            PgInstance db = new PgInstance(disk.mountPoint, disk.prefix());
            RecoveryKit kit = TestResources.kit("powergres-dead-disk", db.spec(Optional.empty()), TestResources.timeouts(
                    Duration.ofSeconds(120), Duration.ofSeconds(120), Duration.ofSeconds(10), Duration.ofSeconds(120)),
                    disk.prefix());
            long pid = -1;
            try {
                assertTrue(kit.restore().succeeded());
                pid = db.postmasterPid().orElseThrow();
                assertTrue(db.write());
                fail.accept(disk);
                ActionResult r = kit.remove();
                assertTrue(r.succeeded(), r.toString());
                assertTrue(r.message().startsWith("killed postmaster pid " + pid + " at once: " + db.dataDir), r.message());
                assertTrue(TestHost.awaitGone(pid, 5000), "the postmaster is gone");
                return r.message();
            } finally {
                if (pid > 0 && !TestHost.gone(pid)) {
                    TestHost.kill(pid);
                    TestHost.awaitGone(pid, 5000);
                }
                disk.inside("umount", disk.mountPoint.toString());
            }
        } finally {
            TestHost.sh("rm", "-rf", dir.toString());
        }
    }

    @Test
    void removeFallsBackToImmediateShutdownWhenFastHangs() throws Exception {
        PostgresqlSpec s = pg.spec(Optional.empty());
        RecoveryKit kit = kit(withFastStopTimeout(s, Duration.ofSeconds(3)));
        assertTrue(kit.restore().succeeded());
        long checkpointer = childNamed(postmaster(), "checkpointer");
        TestHost.sh("kill", "-STOP", Long.toString(checkpointer));
        try {
            ActionResult r = kit.remove();
            assertTrue(r.succeeded(), r.toString());
            assertTrue(r.message().contains("immediate shutdown after fast failed"), r.message());
            assertEquals(Presence.STOPPED, kit.probe());
        } finally {
            TestHost.quietly("kill", "-CONT", Long.toString(checkpointer));
        }
    }

    private static long childNamed(long parent, String title) throws Exception {
        for (ProcessHandle child : ProcessHandle.of(parent).orElseThrow().children().toList()) {
            String cmdline = Files.readString(Path.of("/proc/" + child.pid() + "/cmdline"));
            if (cmdline.contains(title)) {
                return child.pid();
            }
        }
        throw new IllegalStateException("no " + title + " under postmaster " + parent);
    }
}
