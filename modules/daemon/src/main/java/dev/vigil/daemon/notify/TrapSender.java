package dev.vigil.daemon.notify;

import dev.vigil.core.config.SnmpSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.snmp4j.CommunityTarget;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.Snmp;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * Sends the original's SNMP traps (see {@link Trap}) with SNMP4J to every configured destination,
 * v2c or v1, and writes each one sent (or the error) to the SNMP log. Each destination has its own
 * thread and queue: an event's caller only queues the trap, and a destination whose name does not
 * resolve or whose receiver is gone delays neither the caller (an actor, a failover) nor the
 * other destinations. Traps are UDP: nobody acknowledges them, so "sent" means handed to the
 * network.
 */
public final class TrapSender implements ClusterEvents, AutoCloseable {
    /** Traps waiting for one destination beyond which new ones are dropped (and the drop logged). */
    private static final int QUEUE = 1000;

    private final String server;
    private final IpAddress agentAddress;
    private final OperatorLog log;
    private final long startedNanos = System.nanoTime();
    private volatile SnmpSettings settings;
    private volatile List<Destination> destinations;
    private Snmp snmp;

    /** @param agentAddress this server's IPv4 address, put in SNMPv1 traps (0.0.0.0 when not an IPv4 address) */
    public TrapSender(String server, SnmpSettings settings, String agentAddress) {
        this.server = server;
        this.settings = settings;
        this.agentAddress = agentAddress != null && agentAddress.matches("[0-9.]+")
                ? new IpAddress(agentAddress) : new IpAddress("0.0.0.0");
        this.log = new OperatorLog(server);
        this.settings = settings;
        this.destinations = destinations(server, settings);
    }

    private static List<Destination> destinations(String server, SnmpSettings settings) {
        List<Destination> out = new ArrayList<>();
        for (SnmpSettings.Destination d : settings.destinations()) {
            out.add(new Destination(d, settings, executor(server, d)));
        }
        return List.copyOf(out);
    }

    public SnmpSettings settings() {
        return settings;
    }

    /**
     * Sends the next traps as {@code next} says (lk_configsnmp changed it); traps already queued
     * for a destination still go to it.
     */
    public synchronized void reconfigure(SnmpSettings next) {
        List<Destination> old = destinations;
        destinations = destinations(server, next);
        settings = next; // after the destinations: whoever sees the new settings sends with them
        old.forEach(d -> d.executor().shutdown());
    }

    private static ExecutorService executor(String server, SnmpSettings.Destination d) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "vigil-snmp-" + server + "-" + d);
            t.setDaemon(true);
            return t;
        });
    }

    private record Destination(SnmpSettings.Destination address, SnmpSettings settings, ExecutorService executor) {
    }

    /** Queues {@code trap} for every destination and returns at once. */
    public void send(Trap trap) {
        for (Destination d : destinations) {
            try {
                d.executor().execute(() -> deliver(trap, d));
            } catch (RejectedExecutionException e) {
                log.snmpError("Trap " + trap.number() + " [" + trap.message() + "] not sent to " + d.address()
                        + ": " + (d.executor().isShutdown() ? "the daemon is stopping" : QUEUE
                        + " traps are already waiting for it"));
            }
        }
    }

    private void deliver(Trap trap, Destination d) {
        SnmpSettings.Destination to = d.address();
        boolean v1 = d.settings().version() == SnmpSettings.Version.V1;
        try {
            InetAddress address = InetAddress.getByName(to.host());
            CommunityTarget<UdpAddress> target = new CommunityTarget<>(new UdpAddress(address, to.port()),
                    new OctetString(d.settings().community()));
            target.setVersion(v1 ? SnmpConstants.version1 : SnmpConstants.version2c);
            session().send(pdu(trap, v1), target);
            log.trapSent(trap.number(), trap.message(), to.toString(), trap.resourceString());
        } catch (IOException | RuntimeException e) {
            log.snmpError("Trap " + trap.number() + " [" + trap.message() + "] not sent to " + to + ": "
                    + (e instanceof java.net.UnknownHostException ? "unknown host " + to.host() : e.toString()));
        }
    }

    private PDU pdu(Trap trap, boolean v1Trap) {
        PDU pdu;
        if (v1Trap) {
            PDUv1 v1 = new PDUv1();
            v1.setType(PDU.V1TRAP);
            v1.setEnterprise(new OID(Trap.ENTERPRISE));
            v1.setGenericTrap(PDUv1.ENTERPRISE_SPECIFIC);
            v1.setSpecificTrap(trap.number());
            v1.setAgentAddress(agentAddress);
            v1.setTimestamp(uptimeCentis());
            pdu = v1;
        } else {
            pdu = new PDU();
            pdu.setType(PDU.TRAP);
            pdu.add(new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(uptimeCentis())));
            pdu.add(new VariableBinding(SnmpConstants.snmpTrapOID, new OID(trap.oid())));
        }
        pdu.add(new VariableBinding(new OID(Trap.MESSAGE_OID), new OctetString(trap.message())));
        trap.resourceTag().ifPresent(t -> pdu.add(new VariableBinding(new OID(Trap.RESOURCE_OID), new OctetString(t))));
        trap.recovered().ifPresent(t -> pdu.add(new VariableBinding(new OID(Trap.RECOVERED_OID), new OctetString(t))));
        trap.failed().ifPresent(t -> pdu.add(new VariableBinding(new OID(Trap.FAILED_OID), new OctetString(t))));
        return pdu;
    }

    private long uptimeCentis() {
        return (System.nanoTime() - startedNanos) / 10_000_000L;
    }

    /** One UDP socket for every destination, opened by the first trap. */
    private synchronized Snmp session() throws IOException {
        if (snmp == null) {
            snmp = new Snmp(new DefaultUdpTransportMapping());
        }
        return snmp;
    }

    /** Sends what is queued (waiting at most {@code waitMillis} for it), then closes the socket. */
    public void close(long waitMillis) {
        List<Destination> destinations = this.destinations;
        destinations.forEach(d -> d.executor().shutdown());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        for (Destination d : destinations) {
            try {
                if (!d.executor().awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    d.executor().shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                d.executor().shutdownNow();
            }
        }
        synchronized (this) {
            if (snmp != null) {
                try {
                    snmp.close();
                } catch (IOException e) {
                    log.snmpError("closing the SNMP socket: " + e.getMessage());
                }
                snmp = null;
            }
        }
    }

    @Override
    public void close() {
        close(2000);
    }

    // ---- the events, as the manual's traps ----

    @Override
    public void startupComplete() {
        send(Trap.plain(100, "Vigil Startup Complete on server " + server));
    }

    @Override
    public void shutdownInitiated() {
        send(Trap.plain(101, "Vigil Shutdown Initiated on server " + server));
    }

    @Override
    public void shutdownComplete() {
        send(Trap.plain(102, "Vigil Shutdown Complete on server " + server));
    }

    @Override
    public void switchoverInitiated(String hierarchy, String toServer) {
        send(Trap.plain(110, "Vigil Manual Switchover Initiated on server " + server + ": hierarchy " + hierarchy
                + " to server " + toServer));
    }

    @Override
    public void switchoverComplete(String toServer, List<String> recovered, List<String> failed) {
        if (!recovered.isEmpty()) {
            send(Trap.recovered(111, "Vigil Manual Switchover Complete on server " + toServer
                    + ": recovered resources", recovered));
        }
        if (!failed.isEmpty()) {
            send(Trap.failed(112, "Vigil Manual Switchover Complete on server " + toServer + ": failed resources",
                    failed));
        }
    }

    @Override
    public void serverFailureDetected(String failed, String reason) {
        send(Trap.plain(120, "Vigil Node Failure Detected for server " + failed + " by server " + server + ": "
                + reason));
    }

    @Override
    public void serverRecoveryComplete(String failedServer, List<String> recovered, List<String> failed) {
        if (!recovered.isEmpty()) {
            send(Trap.recovered(121, "Vigil Node Recovery Complete for server " + failedServer + " on server "
                    + server + ": recovered resources", recovered));
        }
        if (!failed.isEmpty()) {
            send(Trap.failed(122, "Vigil Node Recovery Complete for server " + failedServer + " on server "
                    + server + ": failed resources", failed));
        }
    }

    @Override
    public void resourceRecoveryInitiated(String tag, String event) {
        send(Trap.resource(130, "Vigil Resource Recovery Initiated for resource " + tag + " on server " + server
                + " after event " + event, tag));
    }

    @Override
    public void resourceRecoveryFailed(String tag, String event) {
        send(Trap.resource(131, "Vigil Resource Recovery Failed for resource " + tag + " on server " + server
                + " after event " + event, tag));
    }

    @Override
    public void resourceRecoveryComplete(String tag, String event) {
        send(Trap.resource(132, "Vigil Resource Recovery Complete for resource " + tag + " on server " + server
                + " after event " + event, tag));
    }

    @Override
    public void commPathUp(String peer, String localAddress, String remoteAddress) {
        send(Trap.plain(140, "Vigil Communications Path Up from server " + server + " to server " + peer + " by "
                + localAddress + "/" + remoteAddress));
    }

    @Override
    public void commPathDown(String peer, String localAddress, String remoteAddress) {
        send(Trap.plain(141, "Vigil Communications Path Down from server " + server + " to server " + peer + " by "
                + localAddress + "/" + remoteAddress));
    }
}
