package dev.vigil.kits.ip;

import static dev.vigil.kits.KitInNamespace.assertAnsweredWithoutProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.config.spec.IpSpec;
import dev.vigil.kits.ActionResult;
import dev.vigil.kits.CheckResult;
import dev.vigil.kits.FailureKind;
import dev.vigil.kits.KitInNamespace;
import dev.vigil.kits.Presence;
import dev.vigil.kits.RecoveryKit;
import dev.vigil.kits.TestHost;
import dev.vigil.kits.TestResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpKitTest {
    private static final String VIP = "10.200.0.100";
    private NetnsPair net;

    @BeforeEach
    void createNamespaces() {
        TestHost.require("the IP kit test (network namespaces)", "ip", "ping");
        net = new NetnsPair();
    }

    @AfterEach
    void deleteNamespaces() {
        if (net != null) {
            net.close();
        }
    }

    /** One ARP probe and no announcement (but in the ARP test) keep the test fast. */
    private RecoveryKit kit(String iface, List<String> pingList) {
        return kit(iface, pingList, 0);
    }

    private RecoveryKit kit(String iface, List<String> pingList, int announcements) {
        return kit(iface, pingList, announcements, net.prefixHere());
    }

    private RecoveryKit kit(String iface, List<String> pingList, int announcements, List<String> prefix) {
        IpSpec spec = new IpSpec(VIP, 24, iface, pingList, 2, Duration.ofSeconds(1), true, Duration.ofMillis(200), announcements);
        return TestResources.kit("ip-" + VIP, spec, TestResources.timeouts(Duration.ofSeconds(15), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(3)), prefix);
    }

    @Test
    void restoreAddsTheAddressWhichAnswersFromAnotherHost() {
        RecoveryKit kit = kit("eth0", List.of("10.200.0.2"), 1);
        assertFalse(net.peerCanPing(VIP), "the peer's failed ARP entry is what the announcement must fix");
        ActionResult r = kit.restore();
        assertTrue(r.succeeded(), r.toString());
        assertTrue(net.inHere("ip", "-o", "-4", "addr", "show", "dev", "eth0").contains("inet " + VIP + "/24 "));
        assertTrue(net.peerCanPing(VIP));
        assertTrue(kit.quickCheck().isHealthy());
        assertEquals(Presence.RUNNING, kit.probe());
        ActionResult again = kit.restore();
        assertTrue(again.succeeded(), again.toString());
        assertTrue(again.message().contains("already on eth0"), again.message());
    }

    @Test
    void restoreAnnouncesTheAddressWithGratuitousArp() throws Exception {
        TestHost.require("the gratuitous ARP test", "arping");
        net.inPeer("ip", "neigh", "replace", VIP, "lladdr", "02:00:00:00:00:01", "dev", "eth0", "nud", "stale");
        Thread.sleep(1100); // neighbour entries younger than locktime (1 s) ignore ARP updates
        ActionResult r = kit("eth0", List.of(), 1).restore();
        assertTrue(r.succeeded(), r.toString());
        assertTrue(r.message().endsWith("announcing it by gratuitous ARP"), r.message());
        String mac = net.inHere("cat", "/sys/class/net/eth0/address").trim();
        // The announcement goes out in the background, the first packet at once.
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        String neigh = net.inPeer("ip", "neigh", "show", VIP, "dev", "eth0");
        while (!neigh.contains(mac) && System.nanoTime() < until) {
            Thread.sleep(20);
            neigh = net.inPeer("ip", "neigh", "show", VIP, "dev", "eth0");
        }
        assertTrue(neigh.contains(mac), "peer's ARP cache still says " + neigh + ", expected " + mac);
    }

    @Test
    void removeTakesTheAddressAwayAndIsSafeToRepeat() {
        RecoveryKit kit = kit("eth0", List.of());
        assertTrue(kit.restore().succeeded());
        ActionResult r = kit.remove();
        assertTrue(r.succeeded(), r.toString());
        assertFalse(net.inHere("ip", "-o", "-4", "addr", "show", "dev", "eth0").contains(VIP));
        assertFalse(net.peerCanPing(VIP));
        assertEquals(Presence.STOPPED, kit.probe());
        ActionResult again = kit.remove();
        assertTrue(again.succeeded(), again.toString());
    }

    @Test
    void anUnansweredPingListIsPingfail() {
        RecoveryKit kit = kit("eth0", List.of("10.200.0.77"));
        assertTrue(kit.restore().succeeded());
        CheckResult c = kit.quickCheck();
        assertFalse(c.isHealthy());
        assertEquals("ip,pingfail", c.event().orElseThrow().toString());
        assertEquals(Optional.of(FailureKind.FAILED), c.kind());
        assertTrue(c.failure().orElseThrow().reason().contains("10.200.0.77"), c.toString());
    }

    @Test
    void anAddressAnotherHostAlreadyUsesIsRefused() {
        net.inPeer("ip", "addr", "add", VIP + "/24", "dev", "eth0");
        RecoveryKit kit = kit("eth0", List.of());
        ActionResult r = kit.restore();
        assertEquals(Optional.of(FailureKind.MISCONFIGURED), r.kind(), r.toString());
        assertTrue(r.message().contains("already in use on the network"), r.message());
        assertFalse(net.inHere("ip", "-o", "-4", "addr", "show", "dev", "eth0").contains(VIP));
    }

    @Test
    void withoutArpingTheDuplicateCheckFallsBackToPingAndNoAnnouncementIsSent(@TempDir Path bin) throws Exception {
        for (String program : List.of("ip", "ping", "cat")) {
            Files.createSymbolicLink(bin.resolve(program), Path.of(TestHost.sh("sh", "-c", "command -v " + program).trim()));
        }
        List<String> noSbin = List.of("ip", "netns", "exec", net.here, "env", "PATH=" + bin);
        net.inPeer("ip", "addr", "add", VIP + "/24", "dev", "eth0");
        ActionResult refused = kit("eth0", List.of(), 1, noSbin).restore();
        assertEquals(Optional.of(FailureKind.MISCONFIGURED), refused.kind(), refused.toString());
        assertTrue(refused.message().contains("answers ping (arping is not installed"), refused.message());

        net.inPeer("ip", "addr", "del", VIP + "/24", "dev", "eth0");
        ActionResult added = kit("eth0", List.of(), 1, noSbin).restore();
        assertTrue(added.succeeded(), added.toString());
        assertTrue(added.message().contains("gratuitous ARP failed: arping is not installed"), added.message());
    }

    @Test
    void anAddressDeletedBehindItsBackIsAddrfailAndRecoverPutsItBack() {
        RecoveryKit kit = kit("eth0", List.of("10.200.0.2"));
        assertTrue(kit.restore().succeeded());
        net.inHere("ip", "addr", "del", VIP + "/24", "dev", "eth0");
        CheckResult c = kit.quickCheck();
        assertEquals("ip,addrfail", c.event().map(Object::toString).orElse("healthy"));
        ActionResult r = kit.recover();
        assertTrue(r.succeeded(), r.toString());
        assertTrue(kit.quickCheck().isHealthy());
        assertTrue(net.peerCanPing(VIP));
    }

    @Test
    void aLinkWithoutCarrierIsLinkfailAndRecoverFailsOver() {
        RecoveryKit kit = kit("eth0", List.of());
        assertTrue(kit.restore().succeeded());
        net.inPeer("ip", "link", "set", "eth0", "down");
        CheckResult c = kit.quickCheck();
        assertEquals("ip,linkfail", c.event().map(Object::toString).orElse("healthy"));
        assertEquals("link of eth0 is down (no carrier, operstate down)", c.failure().orElseThrow().reason());
        assertEquals(Presence.FAILED, kit.probe());
        ActionResult r = kit.recover();
        assertEquals(Optional.of(FailureKind.NOT_AVAILABLE_HERE), r.kind(), r.toString());
    }

    @Test
    void anInterfaceThisServerLacksIsNotAvailableHere() {
        RecoveryKit kit = kit("eth9", List.of());
        ActionResult r = kit.restore();
        assertEquals(Optional.of(FailureKind.NOT_AVAILABLE_HERE), r.kind(), r.toString());
        assertTrue(r.message().contains("interface eth9 does not exist"), r.message());
        assertTrue(kit.remove().succeeded(), "nothing to remove is not a failure");
        assertEquals(Presence.STOPPED, kit.probe());
    }

    /**
     * The daemon of a real server runs inside the server's network namespace, without a command
     * prefix: the check reads the link from /sys and the addresses from the JVM, and starts no
     * process. The address is a secondary one, added without a label, as restore adds it.
     */
    @Test
    void inTheServersOwnNamespaceTheCheckReadsTheKernelWithoutStartingAProcess() throws Exception {
        String gone = "ip,addrfail FAILED: " + VIP + "/24 is no longer configured on eth0";
        try (KitInNamespace kit = KitInNamespace.ip(net.prefixHere(), VIP, 24, "eth0")) {
            assertAnsweredWithoutProcess(gone, kit.call("quickCheck"));
            net.inHere("ip", "addr", "add", VIP + "/24", "dev", "eth0");
            assertTrue(net.inHere("ip", "-o", "-4", "addr", "show", "dev", "eth0").contains("secondary"));
            assertAnsweredWithoutProcess("healthy", kit.call("quickCheck"));
            assertAnsweredWithoutProcess("RUNNING", kit.call("probe"));

            net.inPeer("ip", "link", "set", "eth0", "down");
            assertAnsweredWithoutProcess("ip,linkfail FAILED: link of eth0 is down (no carrier, operstate down)",
                    kit.call("quickCheck"));
            net.inPeer("ip", "link", "set", "eth0", "up");
            net.inHere("ip", "link", "set", "eth0", "down");
            assertAnsweredWithoutProcess("ip,linkfail FAILED: link of eth0 is down (administratively down, operstate down)",
                    kit.call("quickCheck"));
            assertAnsweredWithoutProcess("FAILED", kit.call("probe"));
            net.inHere("ip", "link", "set", "eth0", "up");
            assertAnsweredWithoutProcess("healthy", kit.awaitHealthy(Duration.ofSeconds(5)));

            net.inHere("ip", "addr", "del", VIP + "/24", "dev", "eth0");
            assertAnsweredWithoutProcess(gone, kit.call("quickCheck"));
            assertAnsweredWithoutProcess("STOPPED", kit.call("probe"));
            KitInNamespace.Answer restored = kit.call("restore");
            assertTrue(restored.result().startsWith("OK: added " + VIP + "/24 to eth0"), restored.toString());
            assertTrue(restored.commands().stream().anyMatch(c -> c.startsWith("`ip addr add")), restored.toString());
            assertAnsweredWithoutProcess("healthy", kit.call("quickCheck"));
            assertTrue(kit.call("remove").result().startsWith("OK: removed"));
            assertAnsweredWithoutProcess("STOPPED", kit.call("probe"));
        }
        try (KitInNamespace kit = KitInNamespace.ip(net.prefixHere(), VIP, 24, "eth9")) {
            assertAnsweredWithoutProcess("ip,addrfail FAILED: " + VIP + "/24 is no longer configured on eth9",
                    kit.call("quickCheck"));
            assertEquals("NOT_AVAILABLE_HERE: interface eth9 does not exist on this server", kit.call("restore").result());
        }
    }
}
