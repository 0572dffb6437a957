package dev.vigil.it.bed;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples every running server of the bed every 50 ms during a scenario and records each moment
 * the virtual IP is configured, the shared filesystem mounted, or a postmaster running on two
 * servers at once. One kernel serves every namespace, so a double mount shows no damage here: the
 * watcher looks for the double-active state itself, on each server's addresses, mounts and processes.
 */
public final class Watcher implements AutoCloseable {
    private final List<Machine> servers;
    private final Path mountPoint;
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicLong samples = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    public Watcher(List<Machine> servers, Path mountPoint) {
        this.servers = List.copyOf(servers);
        this.mountPoint = mountPoint;
        thread = new Thread(this::loop, "bed-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            sample();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        List<String> vip = new ArrayList<>();
        List<String> mounted = new ArrayList<>();
        List<String> postmaster = new ArrayList<>();
        List<String> postmasterNamespaces = ProcFs.postmasters().stream().map(ProcFs::pidNamespace).toList();
        for (Machine m : servers) {
            if (!m.running()) {
                continue;
            }
            if (m.hasAddress(BedConfig.VIP)) {
                vip.add(m.name);
            }
            if (m.hasMount(mountPoint)) {
                mounted.add(m.name);
            }
            if (postmasterNamespaces.stream().anyMatch(m::ownsNamespace)) {
                postmaster.add(m.name);
            }
        }
        samples.incrementAndGet();
        record("virtual IP " + BedConfig.VIP, vip);
        record("filesystem " + mountPoint, mounted);
        record("postmaster", postmaster);
    }

    private void record(String what, List<String> on) {
        if (on.size() > 1 && violations.size() < 100) {
            violations.add(Instant.now() + ": " + what + " active on " + String.join(" and ", on));
        }
    }

    /** Samples taken so far. */
    public long samples() {
        return samples.get();
    }

    /** Every double-active sample (at most 100 are kept). */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
