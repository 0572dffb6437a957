package dev.vigil.it.bed;

import dev.vigil.kits.TestHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One path per server to the shared disk, each of which can fail on its own, as a server's cable to
 * a SAN or its HBA does (docs/testbed.md). The shared disk's image is exposed through one FUSE
 * pass-through filesystem per server ({@code bindfs -o direct_io}, so that no page cache of its own
 * sits between the servers), and each server gets its own loop device over the image seen through
 * its path. Both reach the same file: what one server fsynced, the other reads.
 * <p>
 * {@link #cut} SIGKILLs a server's bindfs: from then on every read and write of that server's loop
 * device fails with a real I/O error in the kernel (the mounted ext4 aborts its journal), while the
 * other server's path keeps working. {@link #ensure} builds every path that is missing or cut, while
 * no server uses them. Each bindfs runs in the foreground in a mount namespace of its own
 * ({@code unshare --mount}, which then executes it), so that its mount is seen by nobody else and
 * goes away with it; its loop device is attached from inside that namespace. The bed starts it with
 * its PID in {@code paths/NAME.pid}, so that cleanup.sh ends it by PID after an interrupted run.
 */
final class DiskPaths {
    private static final long MOUNT_WAIT_MS = 5000;

    private final Path lun;
    private final Path root;
    private final Map<String, Path> mounts = new LinkedHashMap<>();
    private final Map<String, Process> servers = new LinkedHashMap<>();
    private final Map<String, String> devices = new LinkedHashMap<>();

    /** Paths for {@code names} to the folder {@code lun}, which holds the shared disk's disk.img. */
    DiskPaths(Path lun, Path root, List<String> names) {
        this.lun = lun;
        this.root = root;
        for (String n : names) {
            mounts.put(n, root.resolve(n));
        }
    }

    /** Whether {@code server} has a path of its own. */
    boolean serves(String server) {
        return mounts.containsKey(server);
    }

    /** {@code server}'s loop device, its path to the shared disk. */
    String device(String server) {
        String d = devices.get(server);
        if (d == null) {
            throw new IllegalStateException(server + " has no path to the shared disk (ensure() first)");
        }
        return d;
    }

    /** Builds every path that is missing or was cut. Only while no server has its path's device open. */
    void ensure() throws IOException, InterruptedException {
        for (String server : mounts.keySet()) {
            Process p = servers.get(server);
            if (p == null || !p.isAlive() || !devices.containsKey(server)) {
                rebuild(server);
            }
        }
    }

    /** The path of {@code server} fails: its bindfs is SIGKILLed; I/O on its loop device fails from now on. */
    void cut(String server) throws InterruptedException {
        Process p = servers.get(server);
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException(server + "'s path to the shared disk is not up");
        }
        p.destroyForcibly();
        p.waitFor();
    }

    private void rebuild(String server) throws IOException, InterruptedException {
        tearDown(server);
        Path at = Files.createDirectories(mounts.get(server));
        Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "bindfs", "-f", "-o", "direct_io",
                lun.toString(), at.toString()).redirectErrorStream(true).redirectOutput(root.resolve(server + ".out").toFile())
                .start();
        servers.put(server, p);
        Files.writeString(root.resolve(server + ".pid"), p.pid() + "\n");
        long deadline = System.currentTimeMillis() + MOUNT_WAIT_MS;
        while (!mounted(p.pid(), at)) {
            if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("bindfs for " + server + "'s path to the shared disk did not mount " + at
                        + " within " + MOUNT_WAIT_MS + " ms: " + Files.readString(root.resolve(server + ".out")));
            }
            Thread.sleep(20);
        }
        devices.put(server, TestHost.sh("nsenter", "-t", Long.toString(p.pid()), "-m", "losetup", "-f", "--show",
                at.resolve("disk.img").toString()).trim());
    }

    /** Detaches the server's loop device and ends its bindfs by PID (its mount namespace, and mount, go with it). */
    private void tearDown(String server) throws InterruptedException {
        String d = devices.remove(server);
        if (d != null) {
            TestHost.quietly("losetup", "-d", d);
        }
        Process p = servers.remove(server);
        if (p != null) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    /** Whether {@code at} is mounted in the mount namespace of process {@code pid}. */
    private static boolean mounted(long pid, Path at) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/mounts")).stream()
                    .anyMatch(l -> l.split(" ")[1].equals(at.toString()));
        } catch (IOException e) {
            return false; // the process is gone, or not yet in its namespace
        }
    }

    /** Every path down: loop devices detached, bindfs ended. */
    void close() throws InterruptedException {
        for (String server : List.copyOf(mounts.keySet())) {
            tearDown(server);
        }
    }
}
