package dev.vigil.guard;

import static dev.vigil.guard.testing.GuardFixture.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.guard.fence.FenceList;
import dev.vigil.guard.fence.FenceList.KillTarget;
import dev.vigil.guard.fence.Mounts;
import dev.vigil.guard.fence.ProcStat;
import dev.vigil.guard.testing.GuardFixture;
import dev.vigil.guard.testing.LoopDevice;
import dev.vigil.guard.testing.TestHost;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real guard process fencing real processes, a real mount of a loop-device filesystem and an
 * address in a network namespace this test creates.
 */
class GuardTest {

    private static final Duration GUARD_TIMEOUT = Duration.ofMillis(500);
    private static final Duration FENCE_TIMEOUT = Duration.ofMillis(200);
    private static final long LATENCY_BOUND_MS = 250;
    private static final String VIP = "10.200.0.100/24";

    @TempDir
    Path dir;
    private GuardFixture guard;
    private LoopDevice loop;
    private Path share;
    private String netns;

    @BeforeEach
    void setUp() {
        TestHost.require("the guard test (kills, mounts, namespaces)", "losetup", "mkfs.ext4", "mount", "umount", "ip");
        guard = new GuardFixture(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (guard != null) {
                guard.close();
            }
        } finally {
            if (share != null && Mounts.isMounted(share.toString())) {
                TestHost.quietly("umount", "-l", share.toString());
            }
            if (loop != null) {
                loop.close();
            }
            if (netns != null) {
                TestHost.quietly("ip", "netns", "del", netns);
            }
        }
    }

    private void mountShare() throws Exception {
        if (loop == null) {
            loop = LoopDevice.create(dir.resolve("share.img"), 32L * 1024 * 1024);
            TestHost.run("mkfs.ext4", "-q", "-F", loop.device().toString());
            share = Files.createDirectories(dir.resolve("share"));
        }
        TestHost.run("mount", loop.device().toString(), share.toString());
    }

    private void addVirtualIp() {
        netns = "vgguard" + ProcessHandle.current().pid();
        TestHost.run("ip", "netns", "add", netns);
        TestHost.run("ip", "-n", netns, "link", "set", "lo", "up");
        TestHost.run("ip", "-n", netns, "addr", "add", VIP, "dev", "lo");
    }

    private boolean vipPresent() {
        return TestHost.run("ip", "-n", netns, "-o", "addr", "show", "dev", "lo").contains(" inet " + VIP + " ");
    }

    private static KillTarget target(Process p, String label) {
        return KillTarget.of(ProcStat.read(p.pid()).orElseThrow(), label);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long ms = TimeUnit.NANOSECONDS.toMillis(nanoTime - System.nanoTime());
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    /** The guard logs a fence's summary when the whole fence is done, a little after the processes died. */
    private boolean logShows(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (!guard.logText().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return guard.logText().contains(text);
    }

    @Test
    void unfedGuardFencesProcessesMountAndAddressRightAfterTheDeadline() throws Exception {
        mountShare();
        addVirtualIp();
        Process postmaster = guard.sleep(dir);
        Process user = guard.sleep(share);
        guard.start();
        guard.connect();
        FenceList list = FenceList.empty().withKill(target(postmaster, "postmaster")).withMount(share.toString())
                .withAddress(VIP, "lo", netns);
        long anchor = System.nanoTime();
        ok(guard.client.arm("pg", GUARD_TIMEOUT, FENCE_TIMEOUT, anchor, list));
        for (int i = 0; i < 3; i++) {
            Thread.sleep(100);
            anchor = System.nanoTime();
            ok(guard.client.feed("pg", anchor));
        }
        long deadline = anchor + GUARD_TIMEOUT.toNanos();
        sleepUntil(deadline - TimeUnit.MILLISECONDS.toNanos(50));
        assertTrue(postmaster.isAlive(), "nothing is fenced before the deadline");
        long goneAt = GuardFixture.awaitExit(postmaster, Duration.ofSeconds(3));
        assertTrue(goneAt > 0, "the listed process was not killed");
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(goneAt - deadline);
        System.out.println("guard fence latency: postmaster gone " + latencyMs + " ms after the deadline ("
                + TimeUnit.NANOSECONDS.toMillis(goneAt - anchor) + " ms after the last FEED anchor)");
        assertTrue(latencyMs <= LATENCY_BOUND_MS, "fenced " + latencyMs + " ms after the deadline");
        assertTrue(GuardFixture.awaitExit(user, Duration.ofSeconds(2)) > 0, "a process using the mount is killed");
        assertTrue(logShows("FENCING \"pg\" COMPLETE"), guard.logText());
        System.out.print(guard.logText());
        assertFalse(Mounts.isMounted(share.toString()), "the shared filesystem is unmounted");
        assertFalse(vipPresent(), "the virtual IP is removed");
        String log = guard.logText();
        String summary = log.lines().filter(l -> l.contains("FENCING \"pg\": daemon stopped renewing for "))
                .findFirst().orElse(log);
        assertTrue(summary.contains(" ms; killed postmaster pid " + postmaster.pid() + "; killed 1 processes using "
                + share + " (sleep pid " + user.pid() + "); unmounted " + share + "; removed " + VIP + " from lo (netns "
                + netns + ") AT: "), summary);
        assertTrue(log.contains("FENCING \"pg\" COMPLETE: started "), log);
        GuardReply late = guard.client.feed("pg", System.nanoTime());
        assertTrue(late.ok(), "a quiet FEED is not answered: " + late.message());
        assertTrue(guard.client.status().message().contains("fenced pg"));
        assertTrue(logShows("unanswered (quiet) FEED pg "), guard.logText());
        assertTrue(guard.logText().lines().anyMatch(l -> l.contains("unanswered (quiet) FEED pg ")
                && l.contains("was fenced")), guard.logText());
    }

    @Test
    void mountThatReappearsAfterAFenceIsUndoneUntilTheDaemonDisarms() throws Exception {
        mountShare();
        Process postmaster = guard.sleep(dir);
        guard.start();
        guard.connect();
        ok(guard.client.arm("pg", GUARD_TIMEOUT, FENCE_TIMEOUT, System.nanoTime(),
                FenceList.empty().withKill(target(postmaster, "postmaster")).withMount(share.toString())));
        GuardReply fenced = ok(guard.client.fence("pg", "lease lost"));
        assertTrue(fenced.message().contains("daemon requested it: lease lost"), fenced.message());
        // Ended as the guard sees it (gone, or a zombie its parent, this JVM, has yet to collect).
        assertTrue(ProcStat.read(postmaster.pid()).map(p -> p.state() == 'Z').orElse(true), "postmaster still runs");
        assertFalse(Mounts.isMounted(share.toString()));

        mountShare();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (Mounts.isMounted(share.toString()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(Mounts.isMounted(share.toString()), "the late mount is undone");
        assertTrue(guard.logText().contains("was mounted again after fencing"));

        ok(guard.client.disarm("pg"));
        mountShare();
        Thread.sleep(3 * TimeUnit.NANOSECONDS.toMillis(GuardCore.ENFORCE_EVERY_NANOS));
        assertTrue(Mounts.isMounted(share.toString()), "after DISARM the guard leaves the mount alone");
    }

    @Test
    void killedDaemonConnectionIsFencedAtOnce() throws Exception {
        Process postmaster = guard.sleep(dir);
        guard.start();
        Process daemon = guard.java(ArmingClientMain.class, guard.socket.toString(), "5000",
                Long.toString(postmaster.pid()));
        assertEquals("ARMED", GuardFixture.awaitLine(daemon, "ARMED", "FAILED"));
        Thread.sleep(300);
        long killedAt = System.nanoTime();
        daemon.destroyForcibly();
        long goneAt = GuardFixture.awaitExit(postmaster, Duration.ofSeconds(3));
        assertTrue(goneAt > 0, "the guard did not fence after the daemon was killed");
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(goneAt - killedAt);
        System.out.println("guard fence latency: postmaster gone " + latencyMs + " ms after SIGKILL of the daemon");
        assertTrue(latencyMs <= LATENCY_BOUND_MS, "fenced " + latencyMs + " ms after the daemon died (guard-timeout 5 s)");
        assertTrue(logShows("FENCING \"pg\": daemon connection lost"), guard.logText());
    }

    @Test
    void frozenDaemonIsFencedAndKilledSoItCannotActWhenItWakes() throws Exception {
        Process postmaster = guard.sleep(dir);
        guard.start();
        Process daemon = guard.java(ArmingClientMain.class, guard.socket.toString(),
                Long.toString(GUARD_TIMEOUT.toMillis()), Long.toString(postmaster.pid()));
        assertEquals("ARMED", GuardFixture.awaitLine(daemon, "ARMED", "FAILED"));
        Thread.sleep(300);
        long stoppedAt = System.nanoTime();
        TestHost.run("kill", "-STOP", Long.toString(daemon.pid()));
        long goneAt = GuardFixture.awaitExit(postmaster, Duration.ofSeconds(3));
        assertTrue(goneAt > 0, "the guard did not fence the frozen daemon's resources");
        long ms = TimeUnit.NANOSECONDS.toMillis(goneAt - stoppedAt);
        System.out.println("guard fence latency: postmaster gone " + ms + " ms after SIGSTOP of the daemon (guard-timeout "
                + GUARD_TIMEOUT.toMillis() + " ms)");
        assertTrue(ms <= GUARD_TIMEOUT.toMillis() + LATENCY_BOUND_MS, "fenced " + ms + " ms after the freeze");
        assertTrue(daemon.waitFor(3, TimeUnit.SECONDS), "the frozen daemon is killed");
        assertEquals(137, daemon.exitValue(), "killed by SIGKILL");
        assertTrue(logShows("(frozen?): killing it so that it cannot act when it wakes up"), guard.logText());
    }

    @Test
    void disarmedGuardFencesNothingIgnoresSigtermAndExitsWhenTold() throws Exception {
        Process postmaster = guard.sleep(dir);
        guard.start();
        guard.connect();
        ok(guard.client.arm("pg", GUARD_TIMEOUT, FENCE_TIMEOUT, System.nanoTime(),
                FenceList.empty().withKill(target(postmaster, "postmaster"))));
        ok(guard.client.disarm("pg"));
        guard.client.close();
        TestHost.run("kill", "-TERM", Long.toString(guard.guardPid()));
        Thread.sleep(GUARD_TIMEOUT.toMillis() + 200);
        assertTrue(postmaster.isAlive(), "a disarmed name is not fenced, not even when the daemon goes away");
        assertTrue(ProcessHandle.of(guard.guardPid()).map(ProcessHandle::isAlive).orElse(false),
                "SIGTERM does not stop the guard");
        guard.connect();
        ok(guard.client.exitGuard());
        assertTrue(ProcessHandle.of(guard.guardPid()).map(h -> h.onExit().completeOnTimeout(null, 5, TimeUnit.SECONDS)
                .join() != null).orElse(true), "the guard exits when told");
        assertFalse(Files.exists(guard.socket) || Files.exists(guard.pidFile), "socket and pid file are removed");
        assertTrue(postmaster.isAlive());
        assertTrue(guard.logText().contains("DISARMED \"pg\": forgot fence list postmaster pid " + postmaster.pid()));
    }

    @Test
    void reusedPidIsNotKilled() throws Exception {
        Process unrelated = guard.sleep(dir);
        ProcStat now = ProcStat.read(unrelated.pid()).orElseThrow();
        KillTarget old = new KillTarget(now.pid(), now.startTicks() - 1, "postmaster");
        guard.start();
        guard.connect();
        ok(guard.client.arm("pg", GUARD_TIMEOUT, FENCE_TIMEOUT, System.nanoTime(), FenceList.empty().withKill(old)));
        GuardReply r = ok(guard.client.fence("pg", "test"));
        assertTrue(r.message().contains("pid " + now.pid() + " is now another process (\"sleep\"), not postmaster: not killed"),
                r.message());
        assertTrue(unrelated.isAlive(), "the process now holding the PID survives");
    }

    @Test
    void protocolMisuseIsAnsweredWithoutHarm() throws Exception {
        Process postmaster = guard.sleep(dir);
        guard.start();
        guard.connectAnswered();
        GuardReply expired = guard.client.arm("pg", GUARD_TIMEOUT, FENCE_TIMEOUT,
                System.nanoTime() - GUARD_TIMEOUT.toNanos() - 1, FenceList.empty());
        assertTrue(!expired.ok() && expired.message().contains("the entitlement has run out"), expired.message());
        assertTrue(guard.client.feed("other", System.nanoTime()).message().contains("\"other\" is not armed"));
        ok(guard.client.arm("pg", GUARD_TIMEOUT, FENCE_TIMEOUT, System.nanoTime(),
                FenceList.empty().withKill(target(postmaster, "postmaster"))));
        GuardReply future = guard.client.feed("pg", System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        assertTrue(!future.ok() && future.message().contains("in the future"), future.message());
        GuardReply exit = guard.client.exitGuard();
        assertTrue(!exit.ok() && exit.message().contains("still armed"), exit.message());

        GuardClient second = new GuardClient(guard.socket, guard.pidFile, guard.log, "n1", GuardClient.Launch.ofThisJvm());
        GuardReply busy = second.connect();
        assertTrue(!busy.ok() && busy.message().contains("another daemon is connected"), busy.message());
        GuardReply already = second.start(Duration.ofSeconds(5));
        assertTrue(already.ok() && already.message().contains("already running"), already.message());
        ok(guard.client.feed("pg", System.nanoTime()));
        ok(guard.client.disarm("pg"));
        assertTrue(postmaster.isAlive());
    }

    @Test
    void secondGuardOnTheSameSocketAndBadStartsAreRefusedWithReasons() throws Exception {
        guard.start();
        Process second = guard.java(GuardMain.class, "--socket", guard.socket.toString(), "--pid-file",
                dir.resolve("other.pid").toString(), "--log", dir.resolve("other.log").toString(), "--server", "n1");
        assertTrue(second.waitFor(20, TimeUnit.SECONDS));
        assertEquals(2, second.exitValue());
        assertTrue(Files.readString(dir.resolve("other.log")).contains("another guard already serves " + guard.socket));

        Process usage = guard.java(GuardMain.class, "--socket");
        assertTrue(usage.waitFor(20, TimeUnit.SECONDS));
        assertEquals(2, usage.exitValue());

        GuardClient broken = new GuardClient(dir.resolve("b.sock"), dir.resolve("b.pid"), dir.resolve("b.log"), "n1",
                new GuardClient.Launch(Path.of("/nonexistent/java"), "", GuardClient.Launch.DEFAULT_JVM_OPTIONS));
        GuardReply r = broken.start(Duration.ofSeconds(5));
        assertTrue(!r.ok() && r.message().startsWith("the guard exited with status 127"), r.message());
        GuardReply none = broken.connect();
        assertTrue(!none.ok() && none.message().startsWith("cannot connect to the guard on " + dir.resolve("b.sock")),
                none.message());
    }
}
