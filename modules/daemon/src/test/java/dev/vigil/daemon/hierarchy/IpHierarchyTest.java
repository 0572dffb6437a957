package dev.vigil.daemon.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.ResourceState;
import dev.vigil.core.status.ActionOutcome;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.daemon.TestDaemon;
import dev.vigil.daemon.TestSupport;
import dev.vigil.kits.TestHost;
import dev.vigil.kits.ip.NetnsPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A daemon whose kits act inside a network namespace ({@code vigil.kits.command-prefix = ip netns
 * exec …}) protecting a virtual IP there, 10.200.0.100 on the namespace's eth0; a second
 * namespace (10.200.0.2) is the rest of the LAN and the ping list.
 */
class IpHierarchyTest {
    private static final String VIP = "10.200.0.100";
    private static final String TAG = "ip-" + VIP;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private NetnsPair net;
    private Path dir;
    private TestDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        TestHost.require("the IP hierarchy test (network namespaces)", "ip", "ping", "arping");
        net = new NetnsPair();
        dir = Files.createTempDirectory("vigil-ip-hierarchy");
        daemon = TestDaemon.start(dir, """
                  kits.command-prefix = [ip, netns, exec, "%s"]
                  hierarchies = [ { tag = "%s", priorities { n1 = 1 }, resources = [
                    { tag = "%s", type = ip, address = "%s", interface = eth0, ping-list = ["10.200.0.2"],
                      ping-tries = 1, ping-timeout = 1s, dad-wait = 200ms, announce-count = 1,
                      check-interval = 500ms, local-recovery-attempts = 1,
                      timeouts { restore = 15s, remove = 10s, quick-check = 5s, recover = 10s } } ] } ]
                """.formatted(net.here, TAG, TAG, VIP));
        daemon.await(TAG, ResourceState.ISP, WAIT);
    }

    @AfterEach
    void stop() {
        try {
            if (daemon != null) {
                daemon.close();
            }
        } finally {
            if (net != null) {
                net.close();
            }
            TestSupport.deleteRecursively(dir);
        }
    }

    private boolean addressHere() {
        return net.inHere("ip", "-o", "-4", "addr", "show", "dev", "eth0").contains(" " + VIP + "/24 ");
    }

    @Test
    void theAddressComesUpAnswersPingFromTheLanAndIsRemovedCleanly() {
        assertTrue(addressHere());
        TestSupport.await("the peer reaches the virtual IP", Duration.ofSeconds(5), () -> net.peerCanPing(VIP));

        ActionOutcome removed = daemon.perform(TAG, "remove");
        assertTrue(removed.succeeded(), removed.toString());
        assertEquals(ResourceState.OSU, removed.resources().get(0).state());
        assertFalse(addressHere());
        assertFalse(net.peerCanPing(VIP));
        assertTrue(daemon.mainLog().contains("n1 INFO  remove of resource \"" + TAG + "\" on \"n1\" succeeded: removed "
                + VIP + "/24 from eth0"), daemon.mainLog());
    }

    @Test
    void anUnreachablePingListRaisesPingfailThenLocalRecoveryThenOsf() {
        net.inPeer("ip", "addr", "del", "10.200.0.2/24", "dev", "eth0");
        ResourceStatus failed = daemon.await(TAG, ResourceState.OSF, WAIT);
        assertTrue(failed.reason().startsWith("no host of the ping list (10.200.0.2) answered 1 tries of ping from "
                + VIP), failed.reason());
        assertTrue(failed.reason().endsWith("(event \"ip,pingfail\"; local recovery failed after 1 attempt)"),
                failed.reason());
        assertFalse(addressHere(), "taken out of service");
        String log = daemon.mainLog();
        assertTrue(log.contains("n1 WARN  RECOVERY class=ip event=pingfail name=" + TAG + " STARTING AT: "), log);
        assertTrue(log.contains("n1 INFO  recover: attempting recovery using resource \"" + TAG + "\" after failure by "
                + "event \"ip,pingfail\" on resource \"" + TAG + "\""), log);
        assertTrue(log.contains("n1 ERROR Vigil: pingfail: Local recovery failed for IP instance " + TAG), log);
        assertTrue(log.contains("n1 ERROR recover: recovery failed after event \"ip,pingfail\" using recovery at resource"
                + " \"" + TAG + "\" on failing resource \"" + TAG + "\""), log);
        assertTrue(log.contains("n1 ERROR recover: all attempts at local recovery have failed after event "
                + "\"ip,pingfail\" occurred to resource \"" + TAG + "\""), log);
    }
}
