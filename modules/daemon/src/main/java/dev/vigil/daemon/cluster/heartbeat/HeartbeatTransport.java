package dev.vigil.daemon.cluster.heartbeat;

import dev.vigil.core.config.ClusterSettings;
import dev.vigil.core.config.CommPathNetwork;
import dev.vigil.core.config.CommPathNetwork.Endpoint;
import dev.vigil.core.config.FailureDetectorSettings;
import dev.vigil.core.config.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The heartbeats of this server on every comm path: on the cluster connection's addresses
 * ({@link #CLUSTER_NETWORK}, UDP on each server's cluster host and port, beside Pekko's TCP) and
 * on each comm path network (vigil.cluster.comm-paths). One UDP socket per network, bound to this
 * server's address there, from which a heartbeat goes to every peer on that network every
 * heartbeat-interval; and, per peer and network, a phi-accrual failure detector with the
 * cluster's failure-detector settings and Pekko's arithmetic ({@link PhiDetector}), fed by the peer's heartbeats. A path is ALIVE while its
 * detector hears the peer <em>and</em> the peer's latest heartbeat says it hears this server, so
 * a path silent in one direction only is DEAD at both ends, as with Pekko's request-and-response
 * heartbeats. Everything runs on one dedicated thread, never on an actor's: the actor that owns
 * the transport only receives {@link Event}s — a path ALIVE or DEAD, a socket that cannot be
 * bound (retried every {@link #REBIND_INTERVAL_MS} ms), datagrams ignored because they come from
 * a stranger (each stranger reported once).
 */
public final class HeartbeatTransport implements AutoCloseable {
    /**
     * The network name of comm path 1, the cluster connection: not a valid comm path network name
     * (it has a space), so no configured network can be mistaken for it.
     */
    public static final String CLUSTER_NETWORK = "cluster connection";
    /** How often a socket that could not be bound is tried again. */
    public static final long REBIND_INTERVAL_MS = 2000;
    /** As Pekko Cluster's failure detector: how many intervals it remembers, the least deviation it assumes. */
    private static final int MAX_SAMPLE_SIZE = 1000;
    private static final long MIN_STD_DEVIATION_MS = 100;

    /** What the transport tells its owner. */
    public sealed interface Event {
    }

    /** The path to {@code peer} over {@code network} is now ALIVE or DEAD; {@code incarnation}: the peer's life heard last. */
    public record PathChanged(String peer, String network, boolean alive, long incarnation) implements Event {
    }

    /** This server's socket on {@code network} cannot be bound; its paths stay DEAD until it can. */
    public record BindFailed(String network, String endpoint, String reason) implements Event {
    }

    /** The socket on {@code network} is bound after an earlier failure. */
    public record Bound(String network, String endpoint) implements Event {
    }

    /** A datagram on {@code network} was ignored: reported once per kind of stranger. */
    public record Ignored(String network, String from, String reason) implements Event {
    }

    /** The transport's thread stopped on an unexpected error: every path over the extra networks goes silent. */
    public record Failed(String reason) implements Event {
    }

    /**
     * FOR TESTS ONLY: which paths a test has cut ({@link HeartbeatFaultInjection}); nothing is sent
     * to the peer on a path cut outgoing, everything from it is dropped on a path cut incoming.
     */
    public interface Cables {
        /** Nothing cut: what production runs with. */
        Cables INTACT = (network, peer, outgoing) -> false;

        boolean cut(String network, Endpoint peer, boolean outgoing);
    }

    /** What this transport knows about one peer on one network. Confined to the transport's thread. */
    private final class Link {
        final String peer;
        final Endpoint endpoint;
        /** Resolved on the transport's thread (a host name may need DNS); unresolved until it can be. */
        InetSocketAddress address;
        long nextResolveAttempt = System.nanoTime();
        PhiDetector detector = newDetector();
        long incarnation = -1;
        long lastSeq;
        /** The flag of the peer's latest heartbeat: it hears this server on this network. */
        boolean peerHearsUs;
        boolean alive;

        Link(String peer, Endpoint endpoint) {
            this.peer = peer;
            this.endpoint = endpoint;
            this.address = InetSocketAddress.createUnresolved(endpoint.host(), endpoint.port());
        }
    }

    /** One network: its socket (null until bound) and its peers. Confined to the transport's thread. */
    private final class Network {
        final String name;
        final Endpoint local;
        final Map<String, Link> links = new LinkedHashMap<>();
        DatagramChannel channel;
        long nextBindAttempt = System.nanoTime();
        boolean bindFailedReported;

        Network(String name, Endpoint local) {
            this.name = name;
            this.local = local;
        }
    }

    private final String self;
    private final String cluster;
    private final long incarnation;
    private final FailureDetectorSettings fd;
    private final Consumer<Event> events;
    private final Cables cables;
    private final List<Network> networks = new ArrayList<>();
    private final Set<String> reportedStrangers = new HashSet<>();
    private final Thread thread;
    private final Selector selector;
    private volatile boolean running = true;
    private long seq;
    /** The heartbeat being sent, in a direct buffer. Confined to the transport's thread. */
    private final ByteBuffer outgoing = ByteBuffer.allocateDirect(Heartbeat.MAX_SIZE);
    /** Times the thread woke from its selector (tests: an idle transport must not spin). */
    private volatile long wakeups;

    /**
     * @param incarnation this server's current life (see {@link Heartbeat})
     * @param commPaths   the networks to heartbeat on: {@link #clusterConnection} and the comm path networks
     * @param events      receives every {@link Event}, on the transport's thread
     * @param cables      the paths a test has cut ({@link Cables#INTACT} in production)
     */
    public HeartbeatTransport(String self, String cluster, long incarnation, List<CommPathNetwork> commPaths,
                              FailureDetectorSettings fd, Consumer<Event> events, Cables cables)
            throws IOException {
        this.self = self;
        this.cluster = cluster;
        this.incarnation = incarnation;
        this.fd = fd;
        this.events = events;
        this.cables = cables;
        for (CommPathNetwork n : commPaths) {
            n.address(self).ifPresent(local -> {
                Network network = new Network(n.name(), local);
                n.addresses().forEach((peer, e) -> {
                    if (!peer.equals(self)) {
                        network.links.put(peer, new Link(peer, e));
                    }
                });
                networks.add(network);
            });
        }
        this.selector = Selector.open();
        this.thread = new Thread(this::run, "vigil-heartbeat-" + self);
        thread.setDaemon(true);
    }

    /** How often the transport's thread has woken from its selector: about twice per heartbeat-interval. */
    long wakeups() {
        return wakeups;
    }

    /** Comm path 1 as a network: every server's cluster host, its cluster port taken as a UDP port. */
    public static CommPathNetwork clusterConnection(List<ServerConfig> servers) {
        Map<String, Endpoint> addresses = new LinkedHashMap<>();
        servers.forEach(s -> addresses.put(s.name(), new Endpoint(s.host(), s.port())));
        return new CommPathNetwork(CLUSTER_NETWORK, ClusterSettings.CLUSTER_PATH_PRIORITY, ServerConfig.DEFAULT_PORT,
                addresses);
    }

    /** True when this server shares at least one network with a peer (else there is nothing to run). */
    public boolean hasNetworks() {
        return networks.stream().anyMatch(n -> !n.links.isEmpty());
    }

    public HeartbeatTransport start() {
        thread.start();
        return this;
    }

    /** Stops the thread and closes the sockets, waiting up to a second so a successor can bind the same ports. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private PhiDetector newDetector() {
        return new PhiDetector(fd.threshold(), MAX_SAMPLE_SIZE, MIN_STD_DEVIATION_MS,
                fd.acceptableHeartbeatPause().toMillis(), fd.heartbeatInterval().toMillis(), PhiDetector::monotonicMillis);
    }

    private void run() {
        long interval = fd.heartbeatInterval().toNanos();
        long nextTick = System.nanoTime();
        // Direct buffers: the channel would otherwise copy every datagram through a temporary one.
        ByteBuffer buffer = ByteBuffer.allocateDirect(Heartbeat.MAX_SIZE + 1);
        // Each ready socket is drained as the selector reports it: no selected-key set to iterate and clear.
        Consumer<SelectionKey> drain = key -> receiveAll((Network) key.attachment(), buffer);
        try {
            while (running) {
                long left = nextTick - System.nanoTime();
                if (left > 0) {
                    // Rounded up: the last fraction of a millisecond must not become selectNow() in a loop.
                    selector.select(drain, Math.max(1, (left + 999_999) / 1_000_000));
                } else {
                    selector.selectNow(drain);
                }
                wakeups++;
                long now = System.nanoTime();
                if (now - nextTick >= 0) {
                    tick(now);
                    // After a long stall (a GC pause, a stopped process) start afresh rather than catch up.
                    nextTick = now - nextTick > interval ? now + interval : nextTick + interval;
                }
            }
        } catch (IOException | RuntimeException e) {
            events.accept(new Failed(String.valueOf(e)));
        } finally {
            for (Network n : networks) {
                closeQuietly(n);
            }
            try {
                selector.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** Every heartbeat-interval: bind what is unbound, send to every peer, and judge every path. */
    private void tick(long now) {
        seq++;
        if (seq == 1) {
            outgoing.clear().put(new Heartbeat(cluster, self, incarnation, seq, false).encode()).flip();
        } else {
            Heartbeat.setSeq(outgoing, seq); // the rest of the datagram never changes
        }
        ByteBuffer heartbeat = outgoing;
        for (Network n : networks) {
            if (n.channel == null) {
                bind(n, now);
            }
            if (n.channel != null) {
                for (Link link : n.links.values()) {
                    if (!cables.cut(n.name, link.endpoint, true)) {
                        Heartbeat.setHearsYou(heartbeat, hears(link));
                        send(n, link, heartbeat.duplicate(), now);
                    }
                }
            }
            for (Link link : n.links.values()) {
                judge(n, link);
            }
        }
    }

    /** This server's detector hears the peer: what its heartbeats to the peer say. */
    private static boolean hears(Link link) {
        return link.detector.isMonitoring() && link.detector.isAvailable();
    }

    /** The path is ALIVE while each end hears the other; reports a change. */
    private void judge(Network n, Link link) {
        boolean alive = n.channel != null && hears(link) && link.peerHearsUs;
        if (alive != link.alive) {
            link.alive = alive;
            events.accept(new PathChanged(link.peer, n.name, alive, link.incarnation));
        }
    }

    private void bind(Network n, long now) {
        if (now - n.nextBindAttempt < 0) {
            return;
        }
        String endpoint = n.local.host() + ":" + n.local.port();
        DatagramChannel channel = null;
        try {
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.bind(new InetSocketAddress(n.local.host(), n.local.port()));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, n);
            n.channel = channel;
            if (n.bindFailedReported) {
                n.bindFailedReported = false;
                events.accept(new Bound(n.name, endpoint));
            }
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            n.nextBindAttempt = now + TimeUnit.MILLISECONDS.toNanos(REBIND_INTERVAL_MS);
            if (!n.bindFailedReported) {
                n.bindFailedReported = true;
                events.accept(new BindFailed(n.name, endpoint, String.valueOf(e.getMessage())));
            }
        }
    }

    private void send(Network n, Link link, ByteBuffer heartbeat, long now) {
        if (link.address.isUnresolved() && now - link.nextResolveAttempt >= 0) {
            link.address = new InetSocketAddress(link.endpoint.host(), link.endpoint.port());
            link.nextResolveAttempt = now + TimeUnit.MILLISECONDS.toNanos(REBIND_INTERVAL_MS);
        }
        if (link.address.isUnresolved()) {
            stranger(n, link.endpoint.host(), "the address of server '" + link.peer
                    + "' does not resolve; no heartbeats are sent to it until it does");
            return;
        }
        try {
            n.channel.send(heartbeat, link.address);
        } catch (IOException e) {
            // The network is down or unreachable: the peer's detector will say so.
        }
    }

    private void receiveAll(Network n, ByteBuffer buffer) {
        while (true) {
            buffer.clear();
            SocketAddress from;
            try {
                from = n.channel.receive(buffer);
            } catch (IOException e) {
                return;
            }
            if (from == null) {
                return;
            }
            buffer.flip();
            accept(n, (InetSocketAddress) from, buffer);
        }
    }

    private void accept(Network n, InetSocketAddress from, ByteBuffer datagram) {
        Heartbeat hb = Heartbeat.decode(datagram).orElse(null);
        if (hb == null) {
            stranger(n, source(from), "not a Vigil heartbeat");
            return;
        }
        if (!hb.cluster().equals(cluster)) {
            stranger(n, source(from), "a heartbeat of cluster '" + hb.cluster() + "', not '" + cluster + "'");
            return;
        }
        Link link = n.links.get(hb.sender());
        if (link != null && cables.cut(n.name, link.endpoint, false)) {
            return;
        }
        if (link == null) {
            stranger(n, source(from), "a heartbeat of server '" + hb.sender() + "', which has no address on this network");
            return;
        }
        if (!from.equals(link.address)) {
            stranger(n, source(from), "a heartbeat of server '" + hb.sender() + "' from another address than its configured "
                    + link.endpoint.host() + ":" + link.endpoint.port());
            return;
        }
        // A new life of the peer starts later, or (its clock set back) earlier once the current life went silent.
        boolean newLife = hb.incarnation() != link.incarnation && (hb.incarnation() > link.incarnation || !link.alive);
        if (!newLife && (hb.incarnation() != link.incarnation || hb.seq() <= link.lastSeq)) {
            return; // a late datagram of an earlier life, or a duplicate
        }
        if (newLife) {
            if (link.alive) {
                // The peer's earlier life is over: its path went DEAD with it, and comes back with the new one.
                link.alive = false;
                events.accept(new PathChanged(link.peer, n.name, false, link.incarnation));
            }
            link.incarnation = hb.incarnation();
            link.detector = newDetector();
            link.peerHearsUs = false;
        }
        link.lastSeq = hb.seq();
        link.detector.heartbeat();
        if (hb.hearsYou() != link.peerHearsUs) {
            // Judged at once: the peer stopped hearing this server, this end must not wait a tick to say so.
            link.peerHearsUs = hb.hearsYou();
            judge(n, link);
        }
    }

    /** Where an ignored datagram came from, as its report says it (built only for a stranger's datagram). */
    private static String source(InetSocketAddress from) {
        return from.getAddress().getHostAddress() + ":" + from.getPort();
    }

    private void stranger(Network n, String from, String reason) {
        if (reportedStrangers.size() < 100 && reportedStrangers.add(n.name + " " + from + " " + reason)) {
            events.accept(new Ignored(n.name, from, reason));
        }
    }

    private static void closeQuietly(Network n) {
        if (n.channel != null) {
            try {
                n.channel.close();
            } catch (IOException e) {
                // closing anyway
            }
            n.channel = null;
        }
    }
}
