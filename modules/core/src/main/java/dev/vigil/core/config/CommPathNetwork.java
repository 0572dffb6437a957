package dev.vigil.core.config;

import java.util.Map;
import java.util.Optional;

/**
 * A further network over which the servers heartbeat each other, beside the cluster (Pekko)
 * connection: one entry of {@code vigil.cluster.comm-paths}. Every two servers that both have an
 * address on it have a comm path over it, so a server is declared dead only when it is silent on
 * the cluster connection and on every such network. Paths are numbered by priority: 1 is the
 * cluster connection, network {@code i} of the list (from 0) has priority {@code i + 2}.
 *
 * @param name      the network's name, unique among the comm paths (e.g. {@code lan2})
 * @param priority  its comm paths' priority (2 for the first network)
 * @param port      the UDP port its heartbeats use, unless an address gives its own
 * @param addresses server name → its address on this network, in configuration order
 */
public record CommPathNetwork(String name, int priority, int port, Map<String, Endpoint> addresses) {

    /** The port a network uses when it names none: the original's LCM port 7365 + 10. */
    public static final int DEFAULT_PORT = 7375;

    public CommPathNetwork {
        addresses = Map.copyOf(addresses);
    }

    /** A server's UDP endpoint on the network. */
    public record Endpoint(String host, int port) {
    }

    public Optional<Endpoint> address(String server) {
        return Optional.ofNullable(addresses.get(server));
    }

    /** True when both servers have an address here, i.e. a comm path joins them over this network. */
    public boolean connects(String a, String b) {
        return !a.equals(b) && addresses.containsKey(a) && addresses.containsKey(b);
    }

    /** A server's address as status and the LCM log show it: {@code host}, or {@code host:port} off the network's port. */
    public String displayAddress(String server) {
        Endpoint e = addresses.get(server);
        if (e == null) {
            throw new IllegalArgumentException("server " + server + " has no address on comm path network " + name);
        }
        return e.port() == port ? e.host() : e.host() + ":" + e.port();
    }
}
