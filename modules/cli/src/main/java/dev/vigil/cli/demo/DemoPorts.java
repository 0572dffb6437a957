package dev.vigil.cli.demo;

import dev.vigil.cli.CommandFailure;
import dev.vigil.cli.ExitCode;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The demo's loopback ports, all derived from {@code --base-port} so that the printed commands are
 * predictable: PostgreSQL on BASE, server nI's cluster port BASE+I, admin API BASE+10+I, UDP
 * heartbeats of the second comm path BASE+20+I, GUI BASE+30+I.
 */
record DemoPorts(int base) {
    /** The highest port used is BASE+33. */
    static final int SPAN = 34;
    static final int MIN_BASE = 1024;
    static final int MAX_BASE = 65535 - SPAN + 1;
    static final int DEFAULT_BASE = 25432;

    int pg() {
        return base;
    }

    int cluster(String server) {
        return base + DemoLayout.index(server);
    }

    int admin(String server) {
        return base + 10 + DemoLayout.index(server);
    }

    int heartbeat(String server) {
        return base + 20 + DemoLayout.index(server);
    }

    int gui(String server) {
        return base + 30 + DemoLayout.index(server);
    }

    /** One port the demo will listen on, and what for. */
    record Use(int port, boolean udp, String what) {
        boolean free() {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            try {
                if (udp) {
                    new DatagramSocket(address).close();
                } else {
                    try (ServerSocket s = new ServerSocket()) {
                        s.bind(address);
                    }
                }
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    List<Use> uses() {
        List<Use> uses = new ArrayList<>();
        uses.add(new Use(pg(), false, "PostgreSQL"));
        for (String s : DemoLayout.SERVERS) {
            uses.add(new Use(cluster(s), false, "cluster port of " + s));
            uses.add(new Use(admin(s), false, "admin API of " + s));
            uses.add(new Use(heartbeat(s), true, "UDP heartbeats of " + s));
            uses.add(new Use(gui(s), false, "GUI of " + s));
        }
        return uses;
    }

    /** Every port must be free on 127.0.0.1 before anything starts; else one line naming the taken ones. */
    void checkFree() {
        List<Use> taken = uses().stream().filter(p -> !p.free()).toList();
        if (!taken.isEmpty()) {
            throw CommandFailure.of(ExitCode.SYSTEM, (taken.size() == 1 ? "port " : "ports ")
                    + taken.stream().map(p -> p.port() + (p.udp() ? "/udp" : "") + " (" + p.what() + ")")
                    .collect(Collectors.joining(", ")) + " on 127.0.0.1 " + (taken.size() == 1 ? "is" : "are")
                    + " in use; choose other ports with --base-port N (the demo uses N to N+" + (SPAN - 1) + ")");
        }
    }

    /** "25433-25435": one kind of port of the three servers, for the operator. */
    String range(java.util.function.ToIntFunction<String> port) {
        List<String> s = DemoLayout.SERVERS;
        return port.applyAsInt(s.get(0)) + "-" + port.applyAsInt(s.get(s.size() - 1));
    }
}
