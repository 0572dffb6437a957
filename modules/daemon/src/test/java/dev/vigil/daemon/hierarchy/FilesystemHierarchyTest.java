package dev.vigil.daemon.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.ResourceState;
import dev.vigil.core.status.ActionOutcome;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.daemon.TestDaemon;
import dev.vigil.daemon.TestSupport;
import dev.vigil.kits.TestHost;
import dev.vigil.kits.filesystem.SharedDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A daemon protecting a filesystem on a loop device, its kits acting inside a private mount
 * namespace ({@code vigil.kits.command-prefix = nsenter -t PID -m}) so that nothing is mounted
 * in the test machine's own namespace.
 */
class FilesystemHierarchyTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Path dir;
    private SharedDisk disk;
    private TestDaemon daemon;
    private Process holder;
    private String tag;

    @BeforeEach
    void createDisk() throws Exception {
        TestHost.require("the filesystem hierarchy test (loop devices, mount namespaces)", "losetup", "mkfs.ext4",
                "nsenter", "unshare", "fuser", "blockdev");
        dir = Files.createTempDirectory("vigil-fs-hierarchy");
        disk = new SharedDisk(dir);
        tag = "fs-" + disk.mountPoint;
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (holder != null) {
                holder.destroyForcibly();
                holder.waitFor(10, TimeUnit.SECONDS);
            }
            if (daemon != null) {
                daemon.close();
            }
        } finally {
            disk.close();
            TestSupport.deleteRecursively(dir);
        }
    }

    private void startDaemon() {
        daemon = TestDaemon.start(dir.resolve("vigil"), """
                  kits.command-prefix = [%s]
                  hierarchies = [ { tag = "%s", priorities { n1 = 1 }, resources = [
                    { tag = "%s", type = filesystem, device = "%s", mount-point = "%s", check-interval = 500ms,
                      umount-attempts = 2, holder-grace = 500ms } ] } ]
                """.formatted(String.join(", ", disk.prefix()), tag, tag, disk.device, disk.mountPoint));
    }

    @Test
    void theFilesystemIsMountedWritableAndAProcessHoldingItDoesNotBlockRemove() throws Exception {
        startDaemon();
        daemon.await(tag, ResourceState.ISP, WAIT);
        assertTrue(disk.mountedInside());
        disk.inside("sh", "-c", "echo committed > '" + disk.mountPoint + "/file' && sync");
        assertEquals("committed", disk.inside("cat", disk.mountPoint + "/file").strip());
        holder = disk.startInside("sh", "-c", "cd '" + disk.mountPoint + "' && exec sleep 600");
        TestSupport.await("the holder in the mount", Duration.ofSeconds(5), () -> disk.inside("fuser", "-m",
                disk.mountPoint.toString()).contains(Long.toString(holder.pid())));

        ActionOutcome removed = daemon.perform(tag, "remove");
        assertTrue(removed.succeeded(), removed.toString());
        assertEquals(ResourceState.OSU, removed.resources().get(0).state());
        assertFalse(disk.mountedInside());
        assertTrue(holder.waitFor(5, TimeUnit.SECONDS), "the holder was stopped");
        assertTrue(daemon.mainLog().contains("stopping processes holding " + disk.mountPoint + ": pid " + holder.pid()),
                daemon.mainLog());
    }

    @Test
    void aDetachedLoopDeviceCannotBeOpenedAndTheResourceIsOsfWithThatError() {
        disk.detachLoops();
        startDaemon();
        ResourceStatus failed = daemon.await(tag, ResourceState.OSF, WAIT);
        assertEquals("restore failed: cannot open device \"" + disk.device + "\": No such device or address",
                failed.reason());
        assertTrue(daemon.mainLog().contains("n1 ERROR restore of resource \"" + tag + "\" on \"n1\" failed "
                + "(NOT_AVAILABLE_HERE): cannot open device \"" + disk.device + "\": No such device or address"),
                daemon.mainLog());
        assertFalse(disk.mountedInside());
    }
}
