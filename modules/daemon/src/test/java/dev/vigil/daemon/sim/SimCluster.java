package dev.vigil.daemon.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.core.LogType;
import dev.vigil.core.config.LogSettings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.daemon.ClusterPathCut;
import dev.vigil.daemon.Daemon;
import dev.vigil.daemon.Environment;
import dev.vigil.daemon.TestSupport;
import dev.vigil.daemon.notify.LogSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A simulated cluster for the failure simulations: {@code servers} real daemons in this JVM on
 * loopback (n1 and n2 may run the hierarchy, n1 first; a third server is a witness), their kits
 * and fencing guards in one {@link SimWorld}. {@link #close()} stops what still runs, deletes the
 * files and fails if the world recorded a violation of the invariants.
 */
final class SimCluster implements AutoCloseable {
    static final String TAG = "powergres-/share/data";
    static final Duration SETTLE = Duration.ofSeconds(30);
    /** Detection (~1 s here) + fence wait (~1.05 s) + restore, with a wide margin for a loaded CI machine. */
    static final Duration FAILOVER = Duration.ofSeconds(20);

    final Path dir;
    final SimWorld world;
    final List<Integer> clusterPorts;
    final List<Integer> adminPorts;
    final List<VigilConfig> configs = new ArrayList<>();
    final Daemon[] daemons;

    /**
     * @param servers      2 or 3 (the third a witness)
     * @param switchback   the hierarchy's switchback policy
     * @param clusterExtra more settings inside cluster { } (comm paths, a lease device)
     */
    SimCluster(int servers, String switchback, String clusterExtra) throws Exception {
        this(servers, switchback, clusterExtra, world -> { });
    }

    /** As above; {@code beforeStart} sets the simulated world up before the daemons start. */
    SimCluster(int servers, String switchback, String clusterExtra, java.util.function.Consumer<SimWorld> beforeStart)
            throws Exception {
        dir = Files.createTempDirectory("vigil-sim");
        LogSetup.configure(new LogSettings(dir.resolve("logs"), 10L << 20, 5), "test");
        clusterPorts = TestSupport.freePorts(servers);
        adminPorts = TestSupport.freePorts(servers);
        daemons = new Daemon[servers];
        for (int i = 0; i < servers; i++) {
            String server = "n" + (i + 1);
            Path scripts = TestSupport.markerScripts(dir.resolve(server));
            configs.add(TestSupport.configWith(dir, server, clusterPorts, adminPorts.get(i), clusterExtra, """
                      resource-defaults.generic { restore-script = "%1$s/restore", remove-script = "%1$s/remove",
                        quick-check-script = "%1$s/check", check-interval = 1s }
                      hierarchies = [ {
                        tag = "%2$s", priorities { n1 = 1, n2 = 10 }, switchback = %3$s
                        resources = [
                          { tag = "ip-10.200.0.100", type = generic }
                          { tag = "fs-/share", type = generic }
                          { tag = "%2$s", type = generic, depends-on = ["ip-10.200.0.100", "fs-/share"] }
                        ] } ]
                    """.formatted(scripts, TAG, switchback)));
        }
        world = new SimWorld(configs.get(0).hierarchies());
        beforeStart.accept(world);
        List<CompletableFuture<Daemon>> starting = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            int n = i;
            starting.add(CompletableFuture.supplyAsync(() -> start(n)));
        }
        for (int i = 0; i < servers; i++) {
            daemons[i] = starting.get(i).get(30, TimeUnit.SECONDS);
        }
        TestSupport.await("the hierarchy in service on n1", SETTLE, () -> world.fullyOn("n1", TAG));
        // With a disk lease n1 may start it before the others joined: scenarios start from a formed cluster.
        TestSupport.await("every server ALIVE on every server", SETTLE, () -> java.util.Arrays.stream(daemons)
                .allMatch(d -> TestSupport.status(d.system()).servers().stream()
                        .allMatch(s -> s.state() == dev.vigil.core.ServerState.ALIVE && s.reportedAt() != null)));
        // ...and every server's placement has decided (and so published its state): a fault injected
        // before a backup reported its state would be decided on "n2 has not reported its state".
        TestSupport.await("every placement decided n1 owns the hierarchy", SETTLE, () -> java.util.Arrays.stream(daemons)
                .allMatch(d -> TestSupport.status(d.system()).placements().stream()
                        .anyMatch(p -> p.tag().equals(TAG) && "n1".equals(p.owner()))));
        // ...and every server has heard every other server's report since then, which carries its
        // claim: a server that decides on a fault before that sees "n2 has not reported its state"
        // (a report published before the topic reached a peer is not delivered there; the next one,
        // at most a second later, is).
        java.time.Instant decided = java.time.Instant.now();
        TestSupport.await("every server heard every other server's claim", SETTLE, () -> java.util.Arrays.stream(daemons)
                .allMatch(d -> TestSupport.status(d.system()).servers().stream()
                        .allMatch(s -> s.reportedAt() != null && !s.reportedAt().isBefore(decided))));
    }

    /** Starts (again) the daemon of server index {@code n} (0 = n1), acting on the simulated world. */
    Daemon start(int n) {
        String server = "n" + (n + 1);
        Environment env = new Environment(r -> world.kit(server, r), world.fencing(server,
                configs.get(n).cluster().fencing().timings().guardTimeout().toMillis()));
        Daemon d = Daemon.start(configs.get(n), env, "token-" + server,
                ClusterPathCut.testMode().withFallback(TestSupport.crashable()), () -> { });
        daemons[n] = d;
        return d;
    }

    /** Server {@code n} loses power: what it ran is gone, its daemon stops without a word to anyone. */
    void powerOff(int n) {
        world.powerOff("n" + (n + 1));
        daemons[n].system().terminate();
        daemons[n] = null;
    }

    /** Cuts (or heals) the cluster connection between servers {@code a} and {@code b}, both ways. */
    void cut(int a, int b, boolean cut) throws Exception {
        ClusterPathCut.set(daemons[a].system(), daemons[b].system().address(), cut);
        ClusterPathCut.set(daemons[b].system(), daemons[a].system().address(), cut);
    }

    String mainLog() {
        return TestSupport.read(dir.resolve("logs").resolve(LogType.LOG.fileName()));
    }

    /** Waits until the hierarchy runs completely on {@code server} and nowhere else. */
    void awaitOnlyOn(String server) {
        TestSupport.await("the hierarchy in service on " + server + " only (now " + world.runningOn(TAG) + ")", FAILOVER,
                () -> world.fullyOn(server, TAG) && world.runningOn(TAG).equals(Set.of(server)));
    }

    /** How many times {@code action} ran on {@code server} so far. */
    long count(String server, String action) {
        return world.events().stream().filter(e -> e.server().equals(server) && e.action().equals(action)).count();
    }

    @Override
    public void close() {
        try {
            TestSupport.stopAll(daemons, dir);
        } finally {
            world.close();
        }
        assertEquals(List.of(), world.violations(), "the hierarchy ran on two servers, or a restore overlapped a remove");
    }
}
