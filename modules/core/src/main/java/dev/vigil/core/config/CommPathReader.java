package dev.vigil.core.config;

import dev.vigil.core.config.CommPathNetwork.Endpoint;
import dev.vigil.core.config.spec.Addresses;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code vigil.cluster.comm-paths}, the further networks the servers heartbeat each other
 * over, and checks them against the servers: every address names a known server, is a host or
 * {@code host:port}, and is used once; no network port takes a server's cluster port or this
 * server's admin port. Kept apart from {@link ConfigValidator} because these checks are many
 * and only about comm paths.
 */
final class CommPathReader {
    private static final String EXAMPLE = "{ n1 = \"10.201.0.1\", n2 = \"10.201.0.2\" }";

    private final Set<String> serverNames;
    private final Map<String, ServerConfig> servers;
    private final Map<String, ConfigReader> serverReaders;
    /** Every endpoint read so far (host:port) → who uses it, to refuse a second use. */
    private final Map<String, String> owners = new HashMap<>();
    /** Every valid address with where it was written, for the admin port check (done once admin is read). */
    private final List<Written> written = new ArrayList<>();

    /** An address as read, with the reader of its {@code addresses} object. */
    private record Written(String network, String server, Endpoint endpoint, ConfigReader addresses) {
    }

    /**
     * @param serverNames   every server name written (even in entries with problems)
     * @param servers       the valid server entries by name
     * @param serverReaders their readers, to name their keys in messages
     */
    CommPathReader(Set<String> serverNames, Map<String, ServerConfig> servers, Map<String, ConfigReader> serverReaders) {
        this.serverNames = serverNames;
        this.servers = servers;
        this.serverReaders = serverReaders;
    }

    /** The networks in priority order; {@code null} when any of them is wrong (the problems are recorded). */
    List<CommPathNetwork> read(ConfigReader cluster) {
        List<CommPathNetwork> out = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        boolean ok = true;
        int index = 0;
        for (ConfigReader n : cluster.objectList("comm-paths")) {
            int priority = ClusterSettings.CLUSTER_PATH_PRIORITY + 1 + index++;
            String name = n.string("name");
            if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
                n.problem("name", "'" + name + "' may contain only letters, digits, '-' and '_'");
                name = null;
            }
            if (name != null && names.putIfAbsent(name, n.origin("name").lineNumber()) != null) {
                n.problem("name", "duplicate comm path name '" + name + "' (also at line " + names.get(name) + ")");
                name = null;
            }
            Integer port = n.has("port") ? n.integer("port", 1, 65535) : Integer.valueOf(CommPathNetwork.DEFAULT_PORT);
            Map<String, Endpoint> addresses = addresses(n, name == null ? "?" : name, port);
            if (name == null || port == null || addresses == null) {
                ok = false;
            } else {
                out.add(new CommPathNetwork(name, priority, port, addresses));
            }
        }
        return ok ? List.copyOf(out) : null;
    }

    private Map<String, Endpoint> addresses(ConfigReader network, String name, Integer port) {
        ConfigReader a = network.object("addresses");
        if (a == null) {
            return null;
        }
        boolean ok = true;
        if (a.keys().size() < 2) {
            network.problem("addresses", "needs the addresses of at least two servers (a comm path joins two), e.g. "
                    + EXAMPLE);
            ok = false;
        }
        Map<String, Endpoint> out = new LinkedHashMap<>();
        for (String server : a.keys()) {
            String value = a.string(server);
            if (!serverNames.isEmpty() && !serverNames.contains(server)) {
                a.problem(server, "unknown server '" + server + "' " + ConfigReader.hint(server, "known", serverNames));
                ok = false;
                continue;
            }
            Endpoint e = value == null || port == null ? null : endpoint(a, server, value, port);
            if (e == null || !available(a, name, server, e, value.contains(":"))) {
                ok = false;
                continue;
            }
            written.add(new Written(name, server, e, a));
            out.put(server, e);
        }
        return ok ? out : null;
    }

    /** {@code host} (at the network's port) or {@code host:port}; {@code null} after a problem. */
    private static Endpoint endpoint(ConfigReader a, String server, String value, int networkPort) {
        String host = value;
        int port = networkPort;
        int colon = value.lastIndexOf(':');
        if (colon >= 0) {
            host = value.substring(0, colon);
            String p = value.substring(colon + 1);
            if (!p.matches("\\d{1,9}")) {
                a.problem(server, "'" + value + "': expected host or host:port with a port number after the ':'");
                return null;
            }
            port = Integer.parseInt(p);
            if (port < 1 || port > 65535) {
                a.problem(server, "'" + value + "': port " + port + " is out of range (1 to 65535)");
                return null;
            }
        }
        if (!Addresses.isHost(host)) {
            a.problem(server, "'" + host + "' is not an IPv4 address or host name");
            return null;
        }
        return new Endpoint(host, port);
    }

    /** Refuses an endpoint another path or a cluster port already uses. */
    private boolean available(ConfigReader a, String network, String server, Endpoint e, boolean ownPort) {
        String portWords = "port " + e.port() + (ownPort ? "" : " (the comm path's port)");
        for (ServerConfig s : servers.values()) {
            boolean sameMachine = s.name().equals(server) || s.host().equals(e.host());
            if (sameMachine && s.port() == e.port()) {
                a.problem(server, portWords + " is also the cluster port of server '" + s.name() + "' ("
                        + serverReaders.get(s.name()).path("port") + ") on " + s.host()
                        + "; give comm path '" + network + "' a port of its own");
                return false;
            }
        }
        String key = e.host() + ":" + e.port();
        String other = owners.putIfAbsent(key, "server '" + server + "' on comm path '" + network + "'");
        if (other != null) {
            a.problem(server, "address " + key + " is already used by " + other);
            return false;
        }
        return true;
    }

    /** A comm path port of this server equal to its admin port is refused (a port has one job on a machine). */
    void checkAdminPort(String localServer, AdminSettings admin) {
        if (admin == null) {
            return;
        }
        for (Written w : written) {
            if (w.server().equals(localServer) && w.endpoint().port() == admin.port()) {
                w.addresses().problem(w.server(), "port " + admin.port() + " is also the admin port of this server"
                        + " (vigil.admin.port); give comm path '" + w.network() + "' a port of its own");
            }
        }
    }
}
