package dev.vigil.it.bed;

import dev.vigil.kits.TestHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One server of the bed as a whole "machine": inside its network namespace, its own PID, mount,
 * UTS and IPC namespaces with a tiny PID 1 (perl, reaping every orphan) and its own /tmp and /run
 * (bind mounts of folders under its home). Everything of the server runs behind {@link #prefix()}
 * ({@code nsenter} into those namespaces), so a power-off is SIGKILL of that PID 1: the kernel
 * ends every process of the PID namespace and drops its mounts, and nothing survives by accident.
 */
public final class Machine {
    /** PID 1 of a machine: reaps children (orphans are re-parented to it) and never exits by itself. */
    private static final String INIT = "$0 = 'vigil-bed-init'; while (1) { select(undef, undef, undef, 0.1) if wait() == -1 }";

    public final String name;
    public final String netns;
    public final Path home;
    private Process unshare;
    private long init = -1;
    private String pidNamespace = "";

    Machine(String name, String netns, Path home) {
        this.name = name;
        this.netns = netns;
        this.home = home;
    }

    /** Starts the machine's PID 1 (again, after a power-off): new PID and mount namespaces, empty /tmp and /run. */
    void boot() throws IOException, InterruptedException {
        if (running()) {
            throw new IllegalStateException(name + " is already running (PID 1 is host pid " + init + ")");
        }
        Path tmp = Files.createDirectories(home.resolve("tmp"));
        Path run = Files.createDirectories(home.resolve("run"));
        TestHost.sh("chmod", "1777", tmp.toString());
        String script = "mount --bind '" + tmp + "' /tmp && mount --bind '" + run + "' /run && hostname " + name
                + " && exec perl -e \"$INIT\"";
        ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", netns, "unshare", "--pid", "--fork", "--mount-proc",
                "--uts", "--ipc", "--propagation", "private", "sh", "-c", script)
                .redirectErrorStream(true).redirectOutput(home.resolve("init.out").toFile());
        pb.environment().put("INIT", INIT);
        unshare = pb.start();
        init = awaitInit(unshare.pid());
        Files.writeString(home.resolve("init.pid"), init + "\n");
        pidNamespace = Files.readSymbolicLink(Path.of("/proc/" + init + "/ns/pid")).toString();
    }

    /** The forked child of unshare once it runs the init program (its mounts are then in place). */
    private long awaitInit(long unsharePid) throws IOException, InterruptedException {
        Path children = Path.of("/proc/" + unsharePid + "/task/" + unsharePid + "/children");
        for (int i = 0; i < 500; i++) {
            if (!unshare.isAlive()) {
                throw new IllegalStateException(name + ": its PID 1 did not start: " + Files.readString(home.resolve("init.out")));
            }
            String text = Files.exists(children) ? Files.readString(children).trim() : "";
            if (!text.isEmpty()) {
                long pid = Long.parseLong(text.split("\\s+")[0]);
                if (ProcFs.comm(pid).equals("vigil-bed-init")) {
                    return pid;
                }
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(name + ": its PID 1 did not start within 5 s");
    }

    public boolean running() {
        return init > 0 && !TestHost.gone(init);
    }

    /** Host PID of the machine's PID 1. */
    public long init() {
        return init;
    }

    /** {@code nsenter} into every namespace of the machine: what runs behind it runs "on" the server. */
    public List<String> prefix() {
        if (!running()) {
            throw new IllegalStateException(name + " is powered off");
        }
        return List.of("nsenter", "-t", Long.toString(init), "-n", "-m", "-p", "-u", "-i", "--");
    }

    /** Runs a command on the machine; returns its output, throws when it fails. */
    public String sh(String... argv) {
        List<String> all = new ArrayList<>(prefix());
        all.addAll(List.of(argv));
        return TestHost.sh(all.toArray(new String[0]));
    }

    /** Runs a cleanup command on the machine, ignoring failure. */
    public void quietly(String... argv) {
        if (running()) {
            List<String> all = new ArrayList<>(prefix());
            all.addAll(List.of(argv));
            TestHost.quietly(all.toArray(new String[0]));
        }
    }

    /** True when {@code pid} (a host PID) runs in this machine's PID namespace. */
    boolean owns(long pid) {
        return ownsNamespace(ProcFs.pidNamespace(pid));
    }

    /** The host PID of the process this machine knows as {@code nsPid}, if it runs. */
    public Optional<Long> hostPid(long nsPid) {
        return ProcFs.pids().filter(this::owns).filter(p -> ProcFs.nsPid(p) == nsPid).findFirst();
    }

    /** The postmasters (host PIDs) running on this machine. */
    public List<Long> postmasters() {
        return ProcFs.postmasters().stream().filter(this::owns).toList();
    }

    /** True when {@code namespace} (as /proc/PID/ns/pid reads) is this running machine's PID namespace. */
    boolean ownsNamespace(String namespace) {
        return running() && pidNamespace.equals(namespace);
    }

    /** True when the address is configured on one of the machine's interfaces. */
    public boolean hasAddress(String address) {
        return running() && ProcFs.localAddresses(init).contains(address);
    }

    /** True when something is mounted at {@code mountPoint} in the machine's mount namespace. */
    public boolean hasMount(Path mountPoint) {
        return running() && ProcFs.mountPoints(init).contains(mountPoint.toString());
    }

    /** Power-off: SIGKILL of PID 1 ends every process of the machine; waits until they are gone. */
    void kill() throws InterruptedException {
        if (init > 0) {
            TestHost.kill(init);
            TestHost.awaitGone(init, 10_000);
        }
        if (unshare != null) {
            unshare.destroyForcibly();
            unshare.waitFor();
        }
        init = -1;
    }
}
