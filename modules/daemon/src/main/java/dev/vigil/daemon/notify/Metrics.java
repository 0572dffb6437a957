package dev.vigil.daemon.notify;

import dev.vigil.core.CommPathState;
import dev.vigil.core.ResourceState;
import dev.vigil.core.ServerState;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.CommPathStatus;
import dev.vigil.core.status.HierarchyInfo;
import dev.vigil.core.status.ResourceInfo;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.core.status.ServerStatus;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The cluster status and the event counters in Prometheus' text exposition format 0.0.4, for
 * {@code GET /metrics} on the admin API. States come from the status board's
 * {@link ClusterStatus} (what {@code lcdstatus} shows), counts from {@link EventCounters}.
 * Every metric is named {@code vigil_*}; docs/jmx-metrics.md lists them.
 */
public final class Metrics {
    /** The Content-Type Prometheus expects for this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final EventCounters counters;
    private final Instant started;

    public Metrics(EventCounters counters, Instant started) {
        this.counters = counters;
        this.started = started;
    }

    public EventCounters counters() {
        return counters;
    }

    public Instant started() {
        return started;
    }

    public String render(ClusterStatus status) {
        Text t = new Text();
        t.help("vigil_daemon_uptime_seconds", "gauge", "Seconds since this server's daemon started.");
        t.sample("vigil_daemon_uptime_seconds", "", Duration.between(started, Instant.now()).toMillis() / 1000.0);

        t.help("vigil_server_up", "gauge", "1 while the server is ALIVE as seen from the answering server, else 0.");
        for (ServerStatus s : status.servers()) {
            t.sample("vigil_server_up", labels("server", s.name()), s.state() == ServerState.ALIVE ? 1 : 0);
        }

        t.help("vigil_comm_path_up", "gauge", "1 while the comm path is ALIVE, as reported by server, else 0.");
        for (ServerStatus s : status.servers()) {
            for (CommPathStatus p : s.commPaths()) {
                t.sample("vigil_comm_path_up", pathLabels(s, p), p.state() == CommPathState.ALIVE ? 1 : 0);
            }
        }
        t.help("vigil_comm_path_downs_total", "counter", "How many times the comm path went DEAD.");
        for (ServerStatus s : status.servers()) {
            for (CommPathStatus p : s.commPaths()) {
                t.sample("vigil_comm_path_downs_total", pathLabels(s, p), p.commDowns());
            }
        }

        t.help("vigil_resource_state", "gauge", "1 for the resource's current state on the server (ISP, ISU, OSU, "
                + "OSF, ILLSTATE), 0 for the others.");
        for (HierarchyInfo h : status.hierarchies()) {
            for (ServerStatus s : status.servers()) {
                for (ResourceInfo r : h.resources()) {
                    ResourceStatus rs = s.resources().get(r.tag());
                    if (rs == null) {
                        continue;
                    }
                    for (ResourceState state : ResourceState.values()) {
                        t.sample("vigil_resource_state", labels("server", s.name(), "hierarchy", h.tag(), "resource",
                                r.tag(), "state", state.name()), rs.state() == state ? 1 : 0);
                    }
                }
            }
        }

        t.help("vigil_hierarchy_in_service", "gauge", "1 while the hierarchy's root resource is in service on the "
                + "server, else 0.");
        for (HierarchyInfo h : status.hierarchies()) {
            for (ServerStatus s : status.servers()) {
                ResourceStatus root = s.resources().get(h.tag());
                if (root != null) {
                    t.sample("vigil_hierarchy_in_service", labels("server", s.name(), "hierarchy", h.tag()),
                            root.state().inService() ? 1 : 0);
                }
            }
        }

        t.help("vigil_local_recoveries_total", "counter", "Local recoveries of a resource on this server by stage "
                + "(initiated, failed, complete).");
        for (EventCounters.Recovery stage : EventCounters.Recovery.values()) {
            for (Map.Entry<String, Long> e : counters.recoveries(stage).entrySet()) {
                t.sample("vigil_local_recoveries_total", labels("resource", e.getKey(), "stage",
                        stage.name().toLowerCase(Locale.ROOT)), e.getValue());
            }
        }
        t.counter("vigil_failovers_total", "Hierarchies of a failed server this server took over.", counters.failovers());
        t.counter("vigil_switchovers_total", "Manual switchovers this server was asked to start.", counters.switchovers());
        t.counter("vigil_server_failures_total", "Server failures (DEAD on every comm path) this server detected.",
                counters.serverFailures());
        t.counter("vigil_comm_path_failures_total", "Comm paths of this server that went DEAD.",
                counters.commPathFailures());

        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        t.help("vigil_jvm_heap_used_bytes", "gauge", "Heap memory in use by the daemon's JVM.");
        t.sample("vigil_jvm_heap_used_bytes", "", heap.getUsed());
        t.help("vigil_jvm_heap_committed_bytes", "gauge", "Heap memory committed to the daemon's JVM.");
        t.sample("vigil_jvm_heap_committed_bytes", "", heap.getCommitted());
        t.help("vigil_jvm_heap_max_bytes", "gauge", "Largest heap the daemon's JVM may use (-1: no limit).");
        t.sample("vigil_jvm_heap_max_bytes", "", heap.getMax());
        return t.toString();
    }

    private static String pathLabels(ServerStatus s, CommPathStatus p) {
        return labels("server", s.name(), "peer", p.to(), "local_address", p.localAddress(), "remote_address",
                p.remoteAddress(), "priority", Integer.toString(p.priority()));
    }

    /** {@code {k1="v1",k2="v2"}} with the values escaped as the format says. */
    static String labels(String... keyValues) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < keyValues.length; i += 2) {
            if (i > 0) {
                b.append(',');
            }
            b.append(keyValues[i]).append("=\"").append(keyValues[i + 1].replace("\\", "\\\\").replace("\"", "\\\"")
                    .replace("\n", "\\n")).append('"');
        }
        return b.append('}').toString();
    }

    private static final class Text {
        private final StringBuilder b = new StringBuilder();

        void help(String name, String type, String help) {
            b.append("# HELP ").append(name).append(' ').append(help).append('\n');
            b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }

        void sample(String name, String labels, double value) {
            b.append(name).append(labels).append(' ');
            if (value == Math.rint(value) && !Double.isInfinite(value)) {
                b.append((long) value);
            } else {
                b.append(value);
            }
            b.append('\n');
        }

        void counter(String name, String help, long value) {
            help(name, "counter", help);
            sample(name, "", value);
        }

        @Override
        public String toString() {
            return b.toString();
        }
    }
}
