package dev.vigil.daemon.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.ResourceState;
import dev.vigil.core.status.ActionOutcome;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.daemon.ShutdownMode;
import dev.vigil.daemon.TestDaemon;
import dev.vigil.daemon.TestSupport;
import dev.vigil.kits.TestHost;
import dev.vigil.kits.postgresql.PgInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A daemon protecting a real PostgreSQL 15 (initdb'd into a temporary directory as the postgres
 * user, on loopback): it brings it in service at start, repairs it after a SIGKILL of the
 * postmaster or a stop behind its back (F15), keeps it down after perform_action -a remove
 * (F19), adopts it after a stop that leaves it running, and classifies a pg_hba.conf the check
 * cannot pass as misconfigured, without a restart loop (F18). Each test starts its own daemon
 * with PostgreSQL stopped and stops it again (taking PostgreSQL out of service).
 */
class PostgresqlHierarchyTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static PgInstance pg;
    private static String pristineHba;

    private Path dir;
    private TestDaemon daemon;
    private String tag;

    @BeforeAll
    static void createInstance() throws Exception {
        TestHost.require("the PostgreSQL hierarchy test", PgInstance.BIN + "/initdb", PgInstance.BIN + "/pg_ctl",
                "runuser", "fuser");
        pg = new PgInstance();
        pristineHba = Files.readString(pg.dataDir.resolve("pg_hba.conf"));
    }

    @AfterAll
    static void dropInstance() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void startDaemon() throws Exception {
        dir = Files.createTempDirectory("vigil-pg-hierarchy");
        tag = "powergres-" + pg.dataDir;
        daemon = TestDaemon.start(dir, """
                  hierarchies = [ { tag = "%1$s", priorities { n1 = 1 }, resources = [
                    { tag = "%1$s", type = postgresql, data-dir = "%2$s", port = %3$d } ] } ]
                """.formatted(tag, pg.dataDir, pg.port));
        daemon.await(tag, ResourceState.ISP, WAIT);
        assertTrue(pg.write(), "the instance takes writes");
    }

    @AfterEach
    void stopDaemon() throws Exception {
        try {
            Files.writeString(pg.dataDir.resolve("pg_hba.conf"), pristineHba);
            if (daemon != null) {
                daemon.close();
            }
        } finally {
            pg.stop();
            TestSupport.deleteRecursively(dir);
        }
    }

    private long postmaster() {
        return pg.postmasterPid().orElseThrow();
    }

    @Test
    void aSigkilledPostmasterIsBackInServiceAndTakingWritesWithinASecondOrSo() throws Exception {
        long before = postmaster();
        long killed = System.nanoTime();
        TestHost.kill(before);
        TestSupport.await("a new postmaster taking writes", WAIT, () -> pg.postmasterPid().filter(p -> p != before)
                .isPresent() && pg.write());
        System.out.printf("SIGKILL of the postmaster to a committed write: %d ms%n",
                (System.nanoTime() - killed) / 1_000_000);
        String log = daemon.mainLog();
        // The watch reports the death, or, when the kill came before the first check armed the watch,
        // that first check does.
        assertTrue(log.contains("n1 WARN  resource \"" + tag + "\" on \"n1\": postmaster pid " + before + " ended")
                || log.contains("n1 WARN  quickCheck of resource \"" + tag + "\" on \"n1\" failed"), log);
        assertTrue(log.contains("n1 WARN  RECOVERY class=powergres event=recover name=" + tag + " STARTING AT: "), log);
        assertTrue(log.contains("n1 WARN  recover: resource \"" + tag + "\" with id \"" + pg.dataDir
                + "\" has experienced failure event \"powergres,recover\""), log);
        assertTrue(log.contains("n1 INFO  recover: attempting recovery using resource \"" + tag
                + "\" after failure by event \"powergres,recover\" on resource \"" + tag + "\""), log);
        TestSupport.await("recovery logged", WAIT, () -> daemon.mainLog().contains("n1 INFO  recover: local recovery of "
                + "resource \"" + tag + "\" after event \"powergres,recover\" succeeded (attempt 1 of 1)"));
        ResourceStatus s = daemon.status(tag);
        assertEquals(ResourceState.ISP, s.state());
        assertTrue(s.reason().startsWith("in service again after local recovery"), s.reason());
    }

    @Test
    void postgresqlStoppedBehindVigilsBackIsStartedAgain() {
        long before = postmaster();
        pg.pgCtl("-m", "fast", "-w", "stop");
        TestSupport.await("PostgreSQL restarted by local recovery", WAIT, () -> pg.postmasterPid()
                .filter(p -> p != before).isPresent() && pg.write());
        daemon.await(tag, ResourceState.ISP, WAIT);
        assertTrue(daemon.mainLog().contains("RECOVERY class=powergres event=recover name=" + tag));
    }

    @Test
    void performActionRemoveKeepsItDownAndNoRecoveryRunsUntilRestore() throws Exception {
        long before = postmaster();
        ActionOutcome removed = daemon.perform(tag, "remove");
        assertTrue(removed.succeeded(), removed.toString());
        assertEquals(ResourceState.OSU, removed.resources().get(0).state());
        assertTrue(TestHost.awaitGone(before, 5000));
        int logSize = daemon.mainLog().length();
        Thread.sleep(3000); // three check intervals
        assertEquals(Optional.empty(), pg.postmasterPid(), "nothing started it again");
        assertEquals(ResourceState.OSU, daemon.status(tag).state());
        assertFalse(daemon.mainLog().substring(logSize).contains("RECOVERY"), "no local recovery of a removed instance");

        ActionOutcome restored = daemon.perform(tag, "restore");
        assertTrue(restored.succeeded(), restored.toString());
        assertEquals(ResourceState.ISP, restored.resources().get(0).state());
        assertTrue(pg.write());
    }

    @Test
    void afterAStopThatLeavesItRunningTheNextDaemonAdoptsItWithoutRestoring() {
        long before = postmaster();
        daemon.stop(ShutdownMode.LEAVE_RUNNING);
        assertTrue(pg.write(), "still running, unprotected");
        int logSize = daemon.mainLog().length();
        daemon.start();
        ResourceStatus s = daemon.await(tag, ResourceState.ISP, WAIT);
        assertEquals("adopted: already in service on this server", s.reason());
        assertEquals(before, postmaster(), "the same postmaster");
        String since = daemon.mainLog().substring(logSize);
        assertFalse(since.contains("restore of resource"), since);
        assertTrue(since.contains("n1 INFO  hierarchy \"" + tag + "\" adopted on \"n1\""), since);
        assertTrue(pg.write());
    }

    @Test
    void aPgHbaDemandingAPasswordTheCheckLacksIsMisconfiguredAndNotRestartedInALoop() throws Exception {
        Files.writeString(pg.dataDir.resolve("pg_hba.conf"), "host all all 127.0.0.1/32 md5\n" + pristineHba);
        pg.pgCtl("reload");
        ResourceStatus failed = daemon.await(tag, ResourceState.OSF, WAIT);
        assertTrue(failed.reason().startsWith("PostgreSQL asks for a password for template1 on 127.0.0.1:" + pg.port
                + " as postgres (pg_hba.conf) but no password-file is configured for the check"), failed.reason());
        assertTrue(failed.reason().endsWith("(event \"powergres,recover\"; no local recovery: misconfigured)"),
                failed.reason());
        Thread.sleep(2000);
        String log = daemon.mainLog();
        assertFalse(log.contains("recover: attempting recovery"), "no recovery attempt: " + log);
        assertTrue(log.contains("n1 ERROR recover: no local recovery of resource \"" + tag + "\" after event "
                + "\"powergres,recover\": misconfigured (it fails the same on every server): PostgreSQL asks for a "
                + "password"), log);
        assertEquals(1, log.split("restore of resource \"" + java.util.regex.Pattern.quote(tag), -1).length - 1,
                "restored once, at start: no restart loop");
        assertEquals(ResourceState.OSF, daemon.status(tag).state());
    }
}
