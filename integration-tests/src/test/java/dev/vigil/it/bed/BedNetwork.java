package dev.vigil.it.bed;

import dev.vigil.kits.TestHost;
import java.util.List;

/**
 * The bed's wiring: a namespace {@code vb-lan} holding two bridges, br0 (10.200.0.0/24, the LAN:
 * cluster connection, virtual IP, client) and br1 (10.201.0.0/24, the second comm path), and one
 * network namespace per host {@code vb-NAME} plugged into them by veth pairs: eth0 on br0 (lan side
 * {@code NAME-p}) and, for servers, eth1 on br1 (lan side {@code NAME-q}). Every name starts with
 * "vb-" so that integration-tests/bed/cleanup.sh finds what an interrupted run left behind. Nothing is ever
 * added to the root namespace.
 */
final class BedNetwork {
    static final String LAN = "vb-lan";
    static final String PREFIX = "vb-";

    private BedNetwork() {
    }

    static String netns(String host) {
        return PREFIX + host;
    }

    static void createLan() {
        TestHost.sh("ip", "netns", "add", LAN);
        TestHost.sh("ip", "-n", LAN, "link", "set", "lo", "up");
        for (String br : List.of("br0", "br1")) {
            TestHost.sh("ip", "-n", LAN, "link", "add", br, "type", "bridge");
            TestHost.sh("ip", "-n", LAN, "link", "set", br, "up");
        }
    }

    /** Adds host {@code name} with eth0 = 10.200.0.{octet} and, when {@code secondPath}, eth1 = 10.201.0.{octet}. */
    static void addHost(String name, int octet, boolean secondPath) {
        String ns = netns(name);
        TestHost.sh("ip", "netns", "add", ns);
        TestHost.sh("ip", "-n", ns, "link", "set", "lo", "up");
        plug(name, "eth0", name + "-p", "br0", "10.200.0." + octet);
        if (secondPath) {
            plug(name, "eth1", name + "-q", "br1", "10.201.0." + octet);
        }
    }

    private static void plug(String host, String dev, String lanEnd, String bridge, String address) {
        String ns = netns(host);
        TestHost.sh("ip", "-n", LAN, "link", "add", lanEnd, "type", "veth", "peer", "name", dev, "netns", ns);
        TestHost.sh("ip", "-n", LAN, "link", "set", lanEnd, "master", bridge);
        TestHost.sh("ip", "-n", LAN, "link", "set", lanEnd, "up");
        TestHost.sh("ip", "-n", ns, "addr", "add", address + "/24", "dev", dev);
        TestHost.sh("ip", "-n", ns, "link", "set", dev, "up");
    }

    /** Unplugs (down) or plugs (up) the host's cable on the LAN (eth0) or the second path (eth1). */
    static void cable(String host, String dev, boolean up) {
        String lanEnd = host + (dev.equals("eth0") ? "-p" : "-q");
        TestHost.sh("ip", "-n", LAN, "link", "set", lanEnd, up ? "up" : "down");
    }

    /** Every cable plugged in again and every firewall rule of the host dropped (the state after setup). */
    static void heal(String host, boolean secondPath) {
        cable(host, "eth0", true);
        if (secondPath) {
            cable(host, "eth1", true);
        }
        TestHost.quietly("ip", "netns", "exec", netns(host), "iptables", "-F");
    }

    /** Drops the echo requests {@code host} sends to {@code to}: a ping target gone, for that host only. */
    static void dropPingsTo(String host, String to) {
        TestHost.sh("ip", "netns", "exec", netns(host), "iptables", "-A", "OUTPUT", "-p", "icmp", "-d", to, "-j", "DROP");
    }

    /** Drops every packet from {@code from} on {@code host} (one half of a partition). */
    static void dropFrom(String host, String from) {
        TestHost.sh("ip", "netns", "exec", netns(host), "iptables", "-A", "INPUT", "-s", from, "-j", "DROP");
    }
}
