package dev.vigil.kits.filesystem;

import dev.vigil.kits.TestHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A shared disk for one test: a sparse file on a loop device with a fresh ext4, and a private
 * mount namespace (a sleeping {@code unshare} process) that the kit enters through its command
 * prefix, so nothing is ever mounted in the test machine's own namespace.
 */
public final class SharedDisk implements AutoCloseable {
    public final Path dir;
    public final Path image;
    public final String device;
    public final Path mountPoint;
    private final Process namespace;

    public SharedDisk(Path dir) throws IOException, InterruptedException {
        this(dir, "32M");
    }

    /** A disk of {@code size} ({@code truncate -s} syntax; the file is sparse), e.g. 160M for a PostgreSQL data directory. */
    public SharedDisk(Path dir, String size) throws IOException, InterruptedException {
        this.dir = dir;
        this.image = dir.resolve("disk.img");
        this.mountPoint = dir.resolve("share");
        TestHost.sh("truncate", "-s", size, image.toString());
        device = TestHost.sh("losetup", "-f", "--show", image.toString()).trim();
        Process ns = null;
        try {
            TestHost.sh("mkfs.ext4", "-q", "-m", "0", device);
            ns = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sleep", "600").start();
            awaitOwnNamespace(ns.pid());
        } catch (RuntimeException | IOException | InterruptedException e) {
            if (ns != null) {
                ns.destroyForcibly();
            }
            detachLoops();
            throw e;
        }
        namespace = ns;
    }

    /** unshare must have left our mount namespace before anyone enters "its" namespace. */
    private static void awaitOwnNamespace(long pid) throws IOException, InterruptedException {
        Path mine = Files.readSymbolicLink(Path.of("/proc/self/ns/mnt"));
        for (int i = 0; i < 200; i++) {
            if (!Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/mnt")).equals(mine)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("unshare did not create a mount namespace");
    }

    public List<String> prefix() {
        return List.of("nsenter", "-t", Long.toString(namespace.pid()), "-m");
    }

    /** Runs a command inside the private mount namespace. */
    public String inside(String... argv) {
        String[] all = new String[argv.length + 4];
        System.arraycopy(prefix().toArray(new String[0]), 0, all, 0, 4);
        System.arraycopy(argv, 0, all, 4, argv.length);
        return TestHost.sh(all);
    }

    /** Starts a process inside the namespace; its PID is the caller's to end. */
    public Process startInside(String... argv) throws IOException {
        String[] all = new String[argv.length + 4];
        System.arraycopy(prefix().toArray(new String[0]), 0, all, 0, 4);
        System.arraycopy(argv, 0, all, 4, argv.length);
        return new ProcessBuilder(all).start();
    }

    public boolean mountedInside() {
        return inside("cat", "/proc/self/mountinfo").contains(" " + mountPoint + " ");
    }

    /** Detaches only loop devices backed by our image, never a number another test may have reused. */
    public void detachLoops() {
        try {
            for (String line : TestHost.sh("losetup", "-j", image.toString()).split("\n")) {
                if (line.contains(":")) {
                    TestHost.quietly("losetup", "-d", line.substring(0, line.indexOf(':')));
                }
            }
        } catch (IllegalStateException e) {
            // losetup -j failed: nothing of ours is attached
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (namespace != null) {
            namespace.destroyForcibly();
            namespace.waitFor();
        }
        detachLoops();
    }
}
