package dev.vigil.daemon.notify.jmx;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

/**
 * The remote JMX access of {@code vigil.jmx}: an RMI registry and the connector it names, both on
 * 127.0.0.1:{@code port} (one port, so that a firewall or an SSH tunnel needs only that one), for
 * the platform MBean server. Without authentication: only users of this server can reach it,
 * like the admin API. Clients use {@link #url(int)}.
 */
public final class JmxConnector implements AutoCloseable {
    private final Registry registry;
    private final JMXConnectorServer server;

    private JmxConnector(Registry registry, JMXConnectorServer server) {
        this.registry = registry;
        this.server = server;
    }

    /** {@code service:jmx:rmi://127.0.0.1:<port>/jndi/rmi://127.0.0.1:<port>/jmxrmi}. */
    public static String url(int port) {
        return "service:jmx:rmi://127.0.0.1:" + port + "/jndi/rmi://127.0.0.1:" + port + "/jmxrmi";
    }

    /** @throws IOException when the port cannot be bound (e.g. taken) */
    public static JmxConnector start(int port) throws IOException {
        RMIServerSocketFactory loopback = new Loopback();
        Registry registry = LocateRegistry.createRegistry(port, null, loopback);
        try {
            Map<String, Object> env = new HashMap<>();
            env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, loopback);
            env.put("jmx.remote.rmi.server.credentials.filter.pattern", "java.lang.String;!*");
            JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(new JMXServiceURL(url(port)),
                    env, ManagementFactory.getPlatformMBeanServer());
            server.start();
            return new JmxConnector(registry, server);
        } catch (IOException | RuntimeException e) {
            unexport(registry);
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            // stopping anyway: its clients are cut off
        }
        unexport(registry);
    }

    private static void unexport(Registry registry) {
        try {
            UnicastRemoteObject.unexportObject(registry, true);
        } catch (NoSuchObjectException e) {
            // not exported any more
        }
    }

    /** Server sockets on 127.0.0.1 only. Equal to each other, so RMI shares one port between registry and connector. */
    private static final class Loopback implements RMIServerSocketFactory {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return s;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Loopback;
        }

        @Override
        public int hashCode() {
            return Loopback.class.hashCode();
        }
    }
}
