package dev.vigil.kits.filesystem;

import static dev.vigil.kits.KitInNamespace.assertAnsweredWithoutProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.config.ActionTimeouts;
import dev.vigil.core.config.spec.FilesystemSpec;
import dev.vigil.kits.ActionResult;
import dev.vigil.kits.CheckResult;
import dev.vigil.kits.FailureKind;
import dev.vigil.kits.KitInNamespace;
import dev.vigil.kits.LogCapture;
import dev.vigil.kits.Presence;
import dev.vigil.kits.RecoveryKit;
import dev.vigil.kits.TestHost;
import dev.vigil.kits.TestResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemKitTest {
    /** reference.conf's filesystem timeouts. */
    private static final ActionTimeouts TIMEOUTS = TestResources.timeouts(Duration.ofSeconds(300),
            Duration.ofSeconds(120), Duration.ofSeconds(30), Duration.ofSeconds(300));
    @TempDir
    Path dir;
    private SharedDisk disk;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void createDisk() throws Exception {
        TestHost.require("the filesystem kit test (loop devices, mounts)", "losetup", "mkfs.ext4", "fsck", "blockdev",
                "fuser", "unshare", "nsenter");
        disk = new SharedDisk(dir);
    }

    @AfterEach
    void removeDisk() throws Exception {
        started.forEach(p -> TestHost.kill(p.pid()));
        if (disk != null) {
            disk.close();
        }
    }

    private RecoveryKit kit(String fsType, String options) {
        return kit(fsType, options, true);
    }

    private RecoveryKit kit(String fsType, String options, boolean fsck) {
        FilesystemSpec spec = new FilesystemSpec(disk.device, disk.mountPoint.toString(), fsType, options, fsck, 2,
                Duration.ofMillis(500));
        return TestResources.kit("fs-" + disk.mountPoint, spec, TIMEOUTS, disk.prefix());
    }

    private RecoveryKit kit() {
        return kit("ext4", "rw");
    }

    /** The kit in a JVM inside the disk's mount namespace, without a command prefix, as a daemon on a real server. */
    private KitInNamespace kitInside(Duration quickCheck) throws IOException {
        return KitInNamespace.filesystem(disk.prefix(), disk.device, disk.mountPoint, quickCheck);
    }

    private boolean probeFileLeft() {
        return disk.inside("ls", "-A", disk.mountPoint.toString()).contains(WriteProbe.FILE);
    }

    @Test
    void restoreChecksAndMountsTheDeviceOnlyInsideItsNamespace() throws Exception {
        RecoveryKit kit = kit();
        assertEquals(Presence.STOPPED, kit.probe());
        ActionResult r = kit.restore();
        assertTrue(r.succeeded(), r.toString());
        assertTrue(disk.mountedInside());
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + disk.mountPoint + " "),
                "the test machine's own mount table must not change");
        assertTrue(kit.quickCheck().isHealthy());
        assertEquals(Presence.RUNNING, kit.probe());
        ActionResult again = kit.restore();
        assertTrue(again.succeeded() && again.message().contains("already mounted"), again.toString());
    }

    @Test
    void removeStopsTheProcessesHoldingTheMountAndNamesThem() throws Exception {
        RecoveryKit kit = kit();
        assertTrue(kit.restore().succeeded());
        disk.inside("sh", "-c", "echo kept > " + disk.mountPoint + "/data");
        Process holder = disk.startInside("sh", "-c", "cd " + disk.mountPoint + " && exec sleep 300");
        started.add(holder);
        Thread.sleep(200);
        try (LogCapture log = new LogCapture()) {
            ActionResult r = kit.remove();
            assertTrue(r.succeeded(), r.toString());
            assertTrue(r.message().contains("pid " + holder.pid() + " (sleep)"), r.message());
            String expected = "stopping processes holding " + disk.mountPoint + ": pid " + holder.pid() + " (sleep)";
            assertTrue(log.lines().stream().anyMatch(l -> l.endsWith(expected)), log.lines().toString());
        }
        assertTrue(TestHost.awaitGone(holder.pid(), 2000));
        assertFalse(disk.mountedInside());
        assertEquals(Presence.STOPPED, kit.probe());
        assertTrue(kit.remove().succeeded(), "removing what is not mounted succeeds");
        assertTrue(kit.restore().succeeded());
        assertEquals("kept\n", disk.inside("cat", disk.mountPoint + "/data"));
        assertTrue(kit.remove().succeeded());
    }

    @Test
    void aDeviceThatCannotBeOpenedMeansFailover() {
        RecoveryKit kit = kit();
        disk.detachLoops();
        ActionResult r = kit.restore();
        assertEquals(Optional.of(FailureKind.NOT_AVAILABLE_HERE), r.kind(), r.toString());
        assertEquals("cannot open device \"" + disk.device + "\": No such device or address", r.message());
        assertFalse(disk.mountedInside());
    }

    @Test
    void anUnmountBehindItsBackIsNotmountedAndRecoverMountsAgain() {
        RecoveryKit kit = kit();
        assertTrue(kit.restore().succeeded());
        disk.inside("umount", disk.mountPoint.toString());
        CheckResult c = kit.quickCheck();
        assertEquals("filesys,notmounted", c.event().map(Object::toString).orElse("healthy"));
        assertEquals(Optional.of(FailureKind.FAILED), c.kind());
        ActionResult r = kit.recover();
        assertTrue(r.succeeded(), r.toString());
        assertTrue(kit.quickCheck().isHealthy());
    }

    @Test
    void aMountThatStaysBusyIsDetachedLazilyAndReportedAsAFailure() {
        RecoveryKit kit = kit();
        assertTrue(kit.restore().succeeded());
        disk.inside("truncate", "-s", "1M", disk.mountPoint + "/inner.img");
        String inner = disk.inside("losetup", "-f", "--show", disk.mountPoint + "/inner.img").trim();
        try {
            ActionResult r = kit.remove();
            assertEquals(Optional.of(FailureKind.FAILED), r.kind(), r.toString());
            assertTrue(r.message().contains("umount -l"), r.message());
            assertTrue(r.message().contains("do not mount it on another server"), r.message());
            assertFalse(disk.mountedInside());
        } finally {
            TestHost.quietly("losetup", "-d", inner);
        }
    }

    @Test
    void aWrongFilesystemTypeIsMisconfigured() {
        ActionResult r = kit("xfs", "rw").restore();
        assertEquals(Optional.of(FailureKind.MISCONFIGURED), r.kind(), r.toString());
    }

    @Test
    void damageFsckCannotRepairIsMisconfigured() {
        TestHost.require("the fsck test", "debugfs");
        TestHost.sh("debugfs", "-w", "-R", "clri <2>", disk.device);
        TestHost.sh("debugfs", "-w", "-R", "ssv state 2", disk.device);
        ActionResult r = kit().restore();
        assertEquals(Optional.of(FailureKind.MISCONFIGURED), r.kind(), r.toString());
        assertTrue(r.message().contains("fsck -p left errors uncorrected"), r.message());
        assertFalse(disk.mountedInside());
    }

    @Test
    void aDamagedFilesystemWithoutFsckIsMisconfigured() {
        TestHost.require("the damaged filesystem test", "debugfs");
        TestHost.sh("debugfs", "-w", "-R", "clri <2>", disk.device);
        ActionResult r = kit("ext4", "rw", false).restore();
        assertEquals(Optional.of(FailureKind.MISCONFIGURED), r.kind(), r.toString());
        assertTrue(r.message().contains("run fsck on it by hand"), r.message());
    }

    @Test
    void aDeviceThatDoesNotExistIsNotAvailableHere() {
        FilesystemSpec spec = new FilesystemSpec("/dev/vigil-no-such-disk", disk.mountPoint.toString(), "ext4", "rw", true,
                3, Duration.ofSeconds(3));
        RecoveryKit kit = TestResources.kit("fs-x", spec, TIMEOUTS, disk.prefix());
        ActionResult r = kit.restore();
        assertEquals(Optional.of(FailureKind.NOT_AVAILABLE_HERE), r.kind(), r.toString());
        assertEquals("cannot open device \"/dev/vigil-no-such-disk\": No such file or directory", r.message());
    }

    @Test
    void aFullFilesystemIsNotAFailure() {
        RecoveryKit kit = kit();
        assertTrue(kit.restore().succeeded());
        fillUp();
        try (LogCapture log = new LogCapture()) {
            CheckResult c = kit.quickCheck();
            assertTrue(c.isHealthy(), c.toString());
            assertTrue(log.lines().stream().anyMatch(l -> l.endsWith(disk.mountPoint + " is full; not a failure of the filesystem")),
                    log.lines().toString());
        }
        assertFalse(probeFileLeft(), "the probe file of a full filesystem is removed");
    }

    /** Every block taken: ext4 keeps a few for itself that a 1 MiB write cannot use but a small one can. */
    private void fillUp() {
        disk.inside("sh", "-c", "for bs in 1M 4k 1; do dd if=/dev/zero of=" + disk.mountPoint
                + "/fill-$bs bs=$bs 2>/dev/null; done; exit 0");
    }

    @Test
    void aReadOnlyRemountIsIoerrorAndRecoverRemountsReadWrite() {
        RecoveryKit kit = kit();
        assertTrue(kit.restore().succeeded());
        disk.inside("mount", "-o", "remount,ro", disk.mountPoint.toString());
        CheckResult c = kit.quickCheck();
        assertEquals("filesys,ioerror", c.event().map(Object::toString).orElse("healthy"));
        ActionResult r = kit.recover();
        assertTrue(r.succeeded(), r.toString());
        assertTrue(kit.quickCheck().isHealthy());
    }

    @Test
    void inTheServersOwnMountNamespaceTheCheckWritesItsProbeWithoutStartingAProcess() throws Exception {
        try (KitInNamespace kit = kitInside(Duration.ofSeconds(30))) {
            KitInNamespace.Answer mounted = kit.call("restore");
            assertTrue(mounted.result().startsWith("OK: mounted"), mounted.toString());
            assertTrue(mounted.commands().stream().anyMatch(c -> c.startsWith("`mount ")), mounted.toString());
            assertAnsweredWithoutProcess("healthy", kit.call("quickCheck"));
            assertAnsweredWithoutProcess("RUNNING", kit.call("probe"));
            assertFalse(probeFileLeft());

            fillUp();
            assertAnsweredWithoutProcess("healthy", kit.call("quickCheck"));
            assertFalse(probeFileLeft(), "the probe file of a full filesystem is removed");
            assertTrue(kit.log().stream().anyMatch(l -> l.endsWith(disk.mountPoint + " is full; not a failure of the filesystem")),
                    kit.log().toString());
        }
    }

    /**
     * A FIFO in place of the probe file: opening it for writing blocks until a reader comes, as a
     * write to a hung device blocks. The check gives up at its deadline; while the write stays
     * blocked, checks fail at once on the same thread; once it returns, checks pass again.
     */
    @Test
    void aWriteCheckThatHangsTimesOutAndLaterChecksFailAtOnceUntilTheWriteReturns() throws Exception {
        String fifo = disk.mountPoint + "/" + WriteProbe.FILE;
        try (KitInNamespace kit = kitInside(Duration.ofSeconds(1))) {
            assertTrue(kit.call("restore").result().startsWith("OK: mounted"));
            disk.inside("mkfifo", fifo);
            KitInNamespace.Answer hung = kit.call("quickCheck");
            assertAnsweredWithoutProcess("filesys,ioerror TIMED_OUT: write check of " + disk.mountPoint
                    + " did not complete within 1000 ms (device hung?)", hung);
            assertTrue(hung.took().toMillis() >= 900, hung.toString());
            KitInNamespace.Answer again = kit.call("quickCheck");
            assertTrue(again.result().startsWith("filesys,ioerror TIMED_OUT: previous write check of " + disk.mountPoint
                    + " still blocked after "), again.toString());
            assertTrue(again.result().endsWith(" ms (device hung?)"), again.toString());
            assertTrue(again.took().toMillis() < 300, again.toString());
            assertEquals("1", kit.call("threads").result(), "write-probe threads");

            assertEquals("vigil", disk.inside("timeout", "10", "cat", fifo), "a reader releases the blocked write");
            disk.inside("rm", "-f", fifo);
            assertAnsweredWithoutProcess("healthy", kit.awaitHealthy(Duration.ofSeconds(5)));
            assertEquals("1", kit.call("threads").result(), "write-probe threads");
            assertTrue(kit.log().stream().anyMatch(l -> l.contains("the write check of " + disk.mountPoint
                    + " that timed out returned after ")), kit.log().toString());
        }
    }

    @Test
    void aProbeFileThatCannotBeWrittenIsIoerrorNamingTheMountPoint() throws Exception {
        RecoveryKit kit = kit();
        assertTrue(kit.restore().succeeded());
        String probe = disk.mountPoint + "/" + WriteProbe.FILE;
        disk.inside("mkdir", probe);
        CheckResult c = kit.quickCheck();
        assertEquals("filesys,ioerror", c.event().map(Object::toString).orElse("healthy"));
        assertEquals(Optional.of(FailureKind.FAILED), c.kind());
        String reason = c.failure().orElseThrow().reason();
        assertTrue(reason.startsWith("cannot write to " + disk.mountPoint + ": ") && reason.contains("Is a directory"), reason);
        try (KitInNamespace inside = kitInside(Duration.ofSeconds(30))) {
            assertAnsweredWithoutProcess("filesys,ioerror FAILED: cannot write to " + disk.mountPoint + ": " + probe
                    + ": Is a directory", inside.call("quickCheck"));
        }
        disk.inside("test", "-d", probe);
    }
}
