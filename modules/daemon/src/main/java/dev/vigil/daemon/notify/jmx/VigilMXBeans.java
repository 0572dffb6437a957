package dev.vigil.daemon.notify.jmx;

import java.util.Map;

/**
 * The MXBean interfaces of the daemon's JMX view (docs/jmx-metrics.md): one per server, comm
 * path, hierarchy and resource, under the domain {@code dev.vigil}. Attributes are read from the
 * status board's cluster status (what {@code lcdstatus} shows) and the event counters; the
 * hierarchy's operations go through the same paths as perform_action and lcdremexec.
 */
public final class VigilMXBeans {
    /** The JMX domain of every Vigil MBean. */
    public static final String DOMAIN = "dev.vigil";

    private VigilMXBeans() {
    }

    /** {@code dev.vigil:type=Server,name=<server>}: every server of the cluster. */
    public interface ServerMXBean {
        String getName();

        String getAddress();

        /** ALIVE or DEAD, as seen from this server. */
        String getState();

        /** True for the server whose daemon answers (the others are as it sees them). */
        boolean isLocal();

        /** When the server last reported its status (ISO-8601), empty if never. */
        String getReportedAt();

        String getShutdownStrategy();

        /** Hierarchies whose root is in service on the server, by tag. */
        String[] getHierarchiesInService();

        /** Seconds since this daemon started (local server only, else -1). */
        long getUptimeSeconds();

        /** Takeovers of a failed server's hierarchies (local server only, else -1). */
        long getFailovers();

        /** Manual switchovers this server was asked to start (local server only, else -1). */
        long getSwitchovers();

        /** Server failures this server detected (local server only, else -1). */
        long getServerFailures();
    }

    /** {@code dev.vigil:type=CommPath,server=<local>,peer=<peer>,priority=<n>}: this server's comm paths. */
    public interface CommPathMXBean {
        String getPeer();

        String getType();

        String getLocalAddress();

        String getRemoteAddress();

        int getPriority();

        /** ALIVE or DEAD. */
        String getState();

        /** How many times the path went DEAD. */
        int getCommDowns();
    }

    /** {@code dev.vigil:type=Hierarchy,tag=<root tag>}: every hierarchy, with the operator's moves. */
    public interface HierarchyMXBean {
        String getTag();

        String getSwitchback();

        /** Server → priority (lowest = primary). */
        Map<String, Integer> getPriorities();

        /** The server where the root resource is in service, empty when none. */
        String getOwner();

        /** Root resource state on each server that reported it: server → ISP, OSU, ... */
        Map<String, String> getStates();

        /** The root resource's reason on the owner (or on this server when none): the last error or why. */
        String getReason();

        /**
         * True while the hierarchy is in maintenance mode, cluster-wide ({@code vigil maintenance
         * on}): no checks, no local recovery, no failover; its resources are left as they are.
         */
        boolean isMaintenance();

        /**
         * Brings the hierarchy in service on {@code server} (perform_action -a restore there): on
         * this server through its hierarchy supervisor, on another through remote execution.
         * Returns what happened, one sentence; a refused or failed switchover is an exception
         * carrying that sentence.
         */
        String switchover(String server);

        /** Takes the hierarchy out of service on the server where it is in service (perform_action -a remove). */
        String outOfService();
    }

    /** {@code dev.vigil:type=Resource,hierarchy=<root tag>,tag=<tag>}: every resource. */
    public interface ResourceMXBean {
        String getTag();

        String getHierarchy();

        String getType();

        /** State on each server that reported it: server → ISP, OSU, ... */
        Map<String, String> getStates();

        /** This server's state of the resource (empty when it may not run here). */
        String getLocalState();

        /** Why the resource is in its state on this server: the last action's result or error. */
        String getLocalReason();

        long getRecoveriesInitiated();

        long getRecoveriesFailed();

        long getRecoveriesComplete();
    }
}
