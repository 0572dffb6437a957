package dev.vigil.daemon.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.ResourceState;
import dev.vigil.core.status.ActionOutcome;
import dev.vigil.daemon.TestDaemon;
import dev.vigil.daemon.TestSupport;
import dev.vigil.kits.TestHost;
import dev.vigil.kits.filesystem.SharedDisk;
import dev.vigil.kits.ip.NetnsPair;
import dev.vigil.kits.postgresql.PgInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The manual's hierarchy, for real: a virtual IP (in a network namespace), a filesystem on a
 * loop device (in a private mount namespace) and PostgreSQL whose data directory is on that
 * disk, depending on both. One command prefix serves all three kits: a small router script runs
 * the IP kit's programs in the network namespace and everything else in the mount namespace —
 * PostgreSQL must stay in the test's own network namespace, where the daemon's JDBC check
 * reaches it on 127.0.0.1.
 */
class SharedDiskHierarchyTest {
    private static final String VIP = "10.200.0.100";
    private static final String IP = "ip-" + VIP;
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final Pattern ACTION = Pattern.compile("INFO  (restore|remove) of resource \"([^\"]+)\" on \"n1\" succeeded");

    private Path dir;
    private NetnsPair net;
    private SharedDisk disk;
    private PgInstance pg;
    private TestDaemon daemon;
    private String fs;
    private String db;

    @BeforeEach
    void buildTheBed() throws Exception {
        TestHost.require("the shared-disk hierarchy test (namespaces, loop devices, PostgreSQL)", "ip", "arping",
                "losetup", "mkfs.ext4", "nsenter", "unshare", "fuser", PgInstance.BIN + "/initdb");
        dir = Files.createTempDirectory("vigil-shared-disk");
        // The postgres user must reach the data directory below it.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        net = new NetnsPair();
        disk = new SharedDisk(dir, "160M");
        fs = "fs-" + disk.mountPoint;
        disk.inside("mkdir", "-p", disk.mountPoint.toString());
        disk.inside("mount", disk.device, disk.mountPoint.toString());
        disk.inside("mkdir", disk.mountPoint.resolve("pg").toString());
        pg = new PgInstance(disk.mountPoint.resolve("pg"), disk.prefix());
        disk.inside("umount", disk.mountPoint.toString());
        db = "powergres-" + pg.dataDir;
    }

    @AfterEach
    void tearDownTheBed() throws Exception {
        try {
            if (daemon != null) {
                daemon.close();
            }
            if (pg != null) {
                pg.stop();
            }
        } finally {
            disk.close();
            net.close();
            TestSupport.deleteRecursively(dir);
        }
    }

    private void startDaemon() {
        Path router = TestSupport.script(dir.resolve("router"), """
                case "$1" in
                  ip|arping|ping) exec ip netns exec %s "$@" ;;
                  *) exec %s "$@" ;;
                esac
                """.formatted(net.here, String.join(" ", disk.prefix())));
        daemon = TestDaemon.start(dir.resolve("vigil"), """
                  kits.command-prefix = ["%s"]
                  hierarchies = [ { tag = "%s", priorities { n1 = 1 }, resources = [
                    { tag = "%s", type = ip, address = "%s", dad-wait = 200ms, announce-count = 0 }
                    { tag = "%s", type = filesystem, device = "%s", mount-point = "%s", holder-grace = 500ms }
                    { tag = "%s", type = postgresql, data-dir = "%s", port = %d, depends-on = ["%s", "%s"] }
                  ] } ]
                """.formatted(router, db, IP, VIP, fs, disk.device, disk.mountPoint, db, pg.dataDir, pg.port, IP, fs));
    }

    /** "restore ip-…", "remove fs-…", … from the main log's success lines, in order. */
    private List<String> actions() {
        Matcher m = ACTION.matcher(daemon.mainLog());
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2));
        }
        return out;
    }

    private boolean addressUp() {
        return net.inHere("ip", "-o", "-4", "addr", "show", "dev", "eth0").contains(" " + VIP + "/");
    }

    @Test
    void theHierarchyComesUpBottomUpAndGoesDownTopDown() {
        startDaemon();
        daemon.await(db, ResourceState.ISP, WAIT);
        // The address and the disk do not depend on each other: restored at the same time, in either order.
        List<String> up = actions();
        assertEquals(java.util.Set.of("restore " + IP, "restore " + fs), java.util.Set.copyOf(up.subList(0, 2)), up.toString());
        assertEquals("restore " + db, up.get(2));
        assertTrue(addressUp());
        assertTrue(disk.mountedInside());
        assertTrue(pg.write(), "PostgreSQL on the shared disk takes writes");

        ActionOutcome removed = daemon.perform(db, "remove");
        assertTrue(removed.succeeded(), removed.toString());
        assertEquals(List.of("remove " + db, "remove " + fs, "remove " + IP), actions().subList(3, 6));
        assertTrue(pg.postmasterPid().isEmpty(), "PostgreSQL stopped");
        assertFalse(disk.mountedInside());
        assertFalse(addressUp());
    }

    @Test
    void aChildThatCannotStartKeepsPostgresqlFromStartingAndWhatStartedIsRemovedAgain() {
        disk.detachLoops();
        startDaemon();
        daemon.await(fs, ResourceState.OSF, WAIT);
        TestSupport.await("the address removed again", WAIT, () -> daemon.status(IP).state() == ResourceState.OSU
                && daemon.mainLog().contains("remove of resource \"" + IP + "\""));
        assertEquals(List.of("restore " + IP, "remove " + IP), actions(), "PostgreSQL never started");
        assertEquals(ResourceState.OSU, daemon.status(db).state());
        assertEquals("out of service again: restore of resource \"" + fs + "\" failed: cannot open device \""
                + disk.device + "\": No such device or address", daemon.status(IP).reason());
        // Logged once what had started is out of service again, just after the address's own remove line.
        TestSupport.await("the failed restore logged", WAIT, () -> daemon.mainLog().contains("n1 ERROR hierarchy \""
                + db + "\" could not be brought in service on \"n1\": restore of resource \"" + fs
                + "\" failed: cannot open device \"" + disk.device + "\""), daemon::mainLog);
        assertFalse(addressUp());
    }
}
