package dev.vigil.daemon.cluster.fencing;

import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.LeaseTimings;
import dev.vigil.core.config.ResourceConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.config.spec.FilesystemSpec;
import dev.vigil.core.config.spec.IpSpec;
import dev.vigil.core.config.spec.PostgresqlSpec;
import dev.vigil.guard.GuardClient;
import dev.vigil.guard.GuardReply;
import dev.vigil.guard.fence.FenceList;
import dev.vigil.guard.fence.ProcStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Fencing} by the fencing guard process ({@code dev.vigil.guard.GuardMain}): started
 * detached at daemon start (or found running), it kills the hierarchy's processes, unmounts its
 * filesystems and deletes its addresses when its deadline passes or the daemon's connection drops
 * while armed. What it stops comes from the configuration: every address and mount point of the
 * hierarchy, and the postmaster of every PostgreSQL resource once it runs (its PID and start time
 * from {@code postmaster.pid}, so a reused PID is never killed). A generic application's processes
 * are not known to Vigil: they are stopped only through the mounts they use.
 */
public final class GuardFencing implements Fencing {
    private static final Logger LOG = LoggerFactory.getLogger(GuardFencing.class);

    private final GuardClient client;
    private final LeaseTimings timings;
    private final Map<String, HierarchyConfig> hierarchies;

    private GuardFencing(GuardClient client, LeaseTimings timings, Map<String, HierarchyConfig> hierarchies) {
        this.client = client;
        this.timings = timings;
        this.hierarchies = hierarchies;
    }

    /** Starts (or finds) this server's guard and connects to it; the reason when it cannot. */
    public static GuardFencing start(VigilConfig config) throws IOException {
        Path state = config.stateDir();
        GuardClient client = new GuardClient(state.resolve("guard.sock"), state.resolve("guard.pid"),
                config.logs().dir().resolve("guard.log"), config.serverName(), GuardClient.Launch.ofThisJvm());
        GuardReply started = client.start(Duration.ofSeconds(20));
        if (!started.ok()) {
            throw new IOException(started.message());
        }
        GuardReply connected = client.connect();
        if (!connected.ok()) {
            throw new IOException("cannot connect to the fencing guard: " + connected.message());
        }
        LOG.info("fencing guard: {}", started.message());
        return new GuardFencing(client, config.cluster().fencing().timings(), config.localHierarchies().stream()
                .collect(Collectors.toMap(HierarchyConfig::tag, Function.identity())));
    }

    @Override
    public boolean arm(String tag, long anchorNanos) {
        return ok("arm " + tag, client.arm(tag, timings, anchorNanos, fenceList(hierarchies.get(tag))));
    }

    @Override
    public boolean feed(String tag, long anchorNanos) {
        GuardReply reply = client.feed(tag, anchorNanos);
        if (!reply.ok() && reply.message().endsWith("is not armed")) {
            // Lease renewals run from the acquisition on; the guard is armed just before the first restore step.
            LOG.debug("fencing guard: no feed for {} yet: {}", tag, reply.message());
            return true;
        }
        return ok("feed " + tag, reply);
    }

    @Override
    public boolean refresh(String tag, long anchorNanos) {
        return arm(tag, anchorNanos);
    }

    @Override
    public boolean disarm(String tag) {
        return ok("disarm " + tag, client.disarm(tag));
    }

    @Override
    public boolean fenceNow(String tag, String reason) {
        return ok("fence " + tag, client.fence(tag, reason));
    }

    @Override
    public void close() {
        GuardReply exit = client.exitGuard();
        if (!exit.ok()) {
            LOG.warn("the fencing guard keeps running: {}", exit.message());
        }
        client.close();
    }

    private static boolean ok(String what, GuardReply reply) {
        if (!reply.ok()) {
            LOG.warn("fencing guard refused {}: {}", what, reply.message());
        }
        return reply.ok();
    }

    /** Everything of {@code h} the guard must stop: addresses and mounts always, postmasters once they run. */
    static FenceList fenceList(HierarchyConfig h) {
        FenceList list = FenceList.empty();
        for (ResourceConfig r : h.removeOrder()) {
            if (r.spec() instanceof IpSpec ip) {
                list = list.withAddress(ip.address() + "/" + ip.prefixLength(), ip.interfaceName(), "");
            } else if (r.spec() instanceof FilesystemSpec fs) {
                list = list.withMount(fs.mountPoint());
            } else if (r.spec() instanceof PostgresqlSpec pg) {
                Optional<ProcStat> postmaster = postmaster(Path.of(pg.dataDir()));
                if (postmaster.isPresent()) {
                    list = list.withKill(FenceList.KillTarget.of(postmaster.get(), "postmaster of " + r.tag()));
                }
            }
        }
        return list;
    }

    private static Optional<ProcStat> postmaster(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            return lines.isEmpty() ? Optional.empty() : ProcStat.read(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
