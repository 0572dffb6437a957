package dev.vigil.kits.filesystem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.config.ActionTimeouts;
import dev.vigil.core.config.spec.FilesystemSpec;
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
        disk.inside("sh", "-c", "dd if=/dev/zero of=" + disk.mountPoint + "/fill bs=1M 2>/dev/null; exit 0");
        CheckResult c = kit.quickCheck();
        assertTrue(c.isHealthy(), c.toString());
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
}
