package dev.vigil.daemon.notify.jmx;

import dev.vigil.core.ServerState;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.ResourceConfig;
import dev.vigil.core.config.ServerConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.CommPathStatus;
import dev.vigil.core.status.PlacementStatus;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.core.status.ServerStatus;
import dev.vigil.daemon.api.AdminApi;
import dev.vigil.daemon.cluster.StatusBoard;
import dev.vigil.daemon.hierarchy.HierarchyMoves;
import dev.vigil.daemon.hierarchy.HierarchySupervisor;
import dev.vigil.daemon.notify.EventCounters;
import dev.vigil.daemon.notify.Metrics;
import dev.vigil.daemon.notify.OperatorLog;
import dev.vigil.daemon.remote.RemoteExec;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Registers the daemon's MBeans (see {@link VigilMXBeans}) in the platform MBean server, so that
 * one JMX connection shows them beside the JVM's own, and unregisters them when the daemon's
 * actor system stops. Every attribute is read from a fresh-enough {@link ClusterStatus} of the
 * status board, the one source of truth the admin API and lcdstatus use too.
 */
public final class JmxView implements AutoCloseable {
    /** A status older than this is asked again (one JMX client reading many attributes asks once). */
    private static final Duration FRESH = Duration.ofMillis(250);

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final List<ObjectName> registered = new ArrayList<>();
    private final VigilConfig config;
    private final Supplier<ClusterStatus> statusSource;
    private final Metrics metrics;
    private final HierarchyMoves moves;
    private ClusterStatus cached;
    private long cachedAt;

    private JmxView(VigilConfig config, Supplier<ClusterStatus> status, Metrics metrics, HierarchyMoves moves) {
        this.config = config;
        this.statusSource = status;
        this.metrics = metrics;
        this.moves = moves;
    }

    /**
     * Registers a bean for every server, every comm path of this server (as the status shows
     * them now), every hierarchy and every resource.
     *
     * @param status asks the status board (blocks a JMX thread, never an actor's)
     */
    public static JmxView register(VigilConfig config, Supplier<ClusterStatus> status, Metrics metrics,
                                   HierarchyMoves moves) throws JMException {
        JmxView view = new JmxView(config, status, metrics, moves);
        try {
            view.registerAll();
        } catch (JMException | RuntimeException e) {
            view.close();
            throw e;
        }
        return view;
    }

    private void registerAll() throws JMException {
        for (ServerConfig s : config.cluster().servers()) {
            add(name("Server", "name", s.name()), new ServerBean(s.name()));
        }
        ServerStatus self = status().server(config.serverName()).orElseThrow();
        for (CommPathStatus p : self.commPaths()) {
            add(new ObjectName(VigilMXBeans.DOMAIN + ":type=CommPath,server=" + value(config.serverName()) + ",peer="
                    + value(p.to()) + ",priority=" + p.priority()), new CommPathBean(p.to(), p.priority()));
        }
        for (HierarchyConfig h : config.hierarchies()) {
            add(name("Hierarchy", "tag", h.tag()), new HierarchyBean(h));
            for (ResourceConfig r : h.resources()) {
                add(new ObjectName(VigilMXBeans.DOMAIN + ":type=Resource,hierarchy=" + value(h.tag()) + ",tag="
                        + value(r.tag())), new ResourceBean(h, r));
            }
        }
    }

    private void add(ObjectName name, Object bean) throws JMException {
        server.registerMBean(bean, name);
        registered.add(name);
    }

    /**
     * When {@code vigil.jmx.enabled}: registers the beans of this actor system off the actor
     * threads (registration reads the status once), and unregisters them when it stops. A
     * failure is logged in the main log; the daemon runs on without its MBeans.
     */
    public static void registerWhenEnabled(ActorSystem<?> system, VigilConfig config, ActorRef<StatusBoard.Command> board,
                                           Map<String, ActorRef<HierarchySupervisor.Command>> supervisors,
                                           ActorRef<RemoteExec.Command> remoteExec, OperatorLog log, Metrics metrics) {
        if (!config.jmx().enabled()) {
            return;
        }
        Supplier<ClusterStatus> status = () -> {
            try {
                return AskPattern.ask(board, StatusBoard.GetStatus::new, AdminApi.STATUS_TIMEOUT, system.scheduler())
                        .toCompletableFuture().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while asking the status board");
            } catch (ExecutionException e) {
                throw new IllegalStateException("status not available: the daemon's status board did not answer within "
                        + AdminApi.STATUS_TIMEOUT.toMillis() + " ms; try again");
            }
        };
        HierarchyMoves moves = new HierarchyMoves(system, config, supervisors, remoteExec, log);
        CompletableFuture<JmxView> view = CompletableFuture.supplyAsync(() -> {
            try {
                return register(config, status, metrics, moves);
            } catch (JMException e) {
                throw new IllegalStateException(e.toString(), e);
            }
        }, system.dispatchers().lookup(DispatcherSelector.blocking()));
        view.whenComplete((v, failure) -> {
            if (failure != null) {
                log.jmxUnavailable(String.valueOf(failure.getCause() == null ? failure : failure.getCause()));
            }
        });
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
                "vigil-jmx-unregister", () -> view.handle((v, failure) -> {
                    if (v != null) {
                        v.close();
                    }
                    return Done.getInstance();
                }));
    }

    /** {@code dev.vigil:type=<type>,<key>=<value>}. */
    public static ObjectName name(String type, String key, String value) {
        try {
            return new ObjectName(VigilMXBeans.DOMAIN + ":type=" + type + "," + key + "=" + value(value));
        } catch (JMException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A key's value as written in an ObjectName: quoted only when it contains a character that must be. */
    public static String value(String s) {
        return s.matches("[A-Za-z0-9._/@+-]+") ? s : ObjectName.quote(s);
    }

    /** The names of the registered beans. */
    public List<ObjectName> names() {
        return List.copyOf(registered);
    }

    @Override
    public synchronized void close() {
        for (ObjectName n : registered) {
            try {
                server.unregisterMBean(n);
            } catch (JMException e) {
                // already gone: nothing to undo
            }
        }
        registered.clear();
    }

    private synchronized ClusterStatus status() {
        long now = System.nanoTime();
        if (cached == null || now - cachedAt > FRESH.toNanos()) {
            cached = statusSource.get();
            cachedAt = now;
        }
        return cached;
    }

    private Optional<ServerStatus> serverStatus(String name) {
        return status().server(name);
    }

    private Map<String, String> states(String tag) {
        Map<String, String> out = new TreeMap<>();
        for (ServerStatus s : status().servers()) {
            ResourceStatus r = s.resources().get(tag);
            if (r != null) {
                out.put(s.name(), r.state().name());
            }
        }
        return out;
    }

    /** The server where {@code tag} is in service (an ALIVE one first), if any. */
    private Optional<ServerStatus> owner(String tag) {
        List<ServerStatus> running = status().servers().stream().filter(s -> s.resources().get(tag) != null
                && s.resources().get(tag).state().inService()).toList();
        return running.stream().filter(s -> s.state() == ServerState.ALIVE).findFirst()
                .or(() -> running.stream().findFirst());
    }

    private final class ServerBean implements VigilMXBeans.ServerMXBean {
        private final String name;

        ServerBean(String name) {
            this.name = name;
        }

        private <T> T read(Function<ServerStatus, T> f, T otherwise) {
            return serverStatus(name).map(f).orElse(otherwise);
        }

        private boolean local() {
            return name.equals(config.serverName());
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getAddress() {
            return read(ServerStatus::address, "");
        }

        @Override
        public String getState() {
            return read(s -> s.state().name(), ServerState.DEAD.name());
        }

        @Override
        public boolean isLocal() {
            return local();
        }

        @Override
        public String getReportedAt() {
            return read(s -> s.reportedAt() == null ? "" : s.reportedAt().toString(), "");
        }

        @Override
        public String getShutdownStrategy() {
            return read(s -> s.shutdownStrategy() == null ? "" : s.shutdownStrategy().name(), "");
        }

        @Override
        public String[] getHierarchiesInService() {
            return config.hierarchies().stream().map(HierarchyConfig::tag)
                    .filter(tag -> read(s -> s.resources().get(tag) != null && s.resources().get(tag).state().inService(),
                            false)).toArray(String[]::new);
        }

        @Override
        public long getUptimeSeconds() {
            return local() ? Duration.between(metrics.started(), Instant.now()).toSeconds() : -1;
        }

        @Override
        public long getFailovers() {
            return local() ? metrics.counters().failovers() : -1;
        }

        @Override
        public long getSwitchovers() {
            return local() ? metrics.counters().switchovers() : -1;
        }

        @Override
        public long getServerFailures() {
            return local() ? metrics.counters().serverFailures() : -1;
        }
    }

    private final class CommPathBean implements VigilMXBeans.CommPathMXBean {
        private final String peer;
        private final int priority;

        CommPathBean(String peer, int priority) {
            this.peer = peer;
            this.priority = priority;
        }

        private CommPathStatus path() {
            return serverStatus(config.serverName()).flatMap(s -> s.commPaths().stream()
                    .filter(p -> p.to().equals(peer) && p.priority() == priority).findFirst())
                    .orElseThrow(() -> new IllegalStateException("comm path to " + peer + " (priority " + priority
                            + ") is no longer in the status"));
        }

        @Override
        public String getPeer() {
            return peer;
        }

        @Override
        public String getType() {
            return path().type();
        }

        @Override
        public String getLocalAddress() {
            return path().localAddress();
        }

        @Override
        public String getRemoteAddress() {
            return path().remoteAddress();
        }

        @Override
        public int getPriority() {
            return priority;
        }

        @Override
        public String getState() {
            return path().state().name();
        }

        @Override
        public int getCommDowns() {
            return path().commDowns();
        }
    }

    private final class HierarchyBean implements VigilMXBeans.HierarchyMXBean {
        private final HierarchyConfig h;

        HierarchyBean(HierarchyConfig h) {
            this.h = h;
        }

        @Override
        public String getTag() {
            return h.tag();
        }

        @Override
        public String getSwitchback() {
            return h.switchback().name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public Map<String, Integer> getPriorities() {
            return new TreeMap<>(h.priorities());
        }

        @Override
        public String getOwner() {
            return owner(h.tag()).map(ServerStatus::name).orElse("");
        }

        @Override
        public Map<String, String> getStates() {
            return states(h.tag());
        }

        @Override
        public String getReason() {
            ServerStatus where = owner(h.tag()).or(() -> serverStatus(config.serverName())).orElse(null);
            ResourceStatus root = where == null ? null : where.resources().get(h.tag());
            return root == null ? "" : root.reason();
        }

        @Override
        public boolean isMaintenance() {
            return status().placement(h.tag()).map(PlacementStatus::maintenance).orElse(false);
        }

        @Override
        public String switchover(String server) {
            return moves.switchover(h, server, "JMX");
        }

        @Override
        public String outOfService() {
            String where = owner(h.tag()).map(ServerStatus::name).orElseThrow(() -> new IllegalStateException(
                    "hierarchy '" + h.tag() + "' is not in service on any server"));
            return moves.outOfService(h, where);
        }
    }

    private final class ResourceBean implements VigilMXBeans.ResourceMXBean {
        private final HierarchyConfig h;
        private final ResourceConfig r;

        ResourceBean(HierarchyConfig h, ResourceConfig r) {
            this.h = h;
            this.r = r;
        }

        private Optional<ResourceStatus> local() {
            return serverStatus(config.serverName()).map(s -> s.resources().get(r.tag()));
        }

        @Override
        public String getTag() {
            return r.tag();
        }

        @Override
        public String getHierarchy() {
            return h.tag();
        }

        @Override
        public String getType() {
            return r.type().configName();
        }

        @Override
        public Map<String, String> getStates() {
            return states(r.tag());
        }

        @Override
        public String getLocalState() {
            return local().map(s -> s.state().name()).orElse("");
        }

        @Override
        public String getLocalReason() {
            return local().map(ResourceStatus::reason).orElse("");
        }

        @Override
        public long getRecoveriesInitiated() {
            return metrics.counters().recoveries(EventCounters.Recovery.INITIATED, r.tag());
        }

        @Override
        public long getRecoveriesFailed() {
            return metrics.counters().recoveries(EventCounters.Recovery.FAILED, r.tag());
        }

        @Override
        public long getRecoveriesComplete() {
            return metrics.counters().recoveries(EventCounters.Recovery.COMPLETE, r.tag());
        }
    }
}
