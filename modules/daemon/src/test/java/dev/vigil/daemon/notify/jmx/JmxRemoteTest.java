package dev.vigil.daemon.notify.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.config.LogSettings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.daemon.Daemon;
import dev.vigil.daemon.TestSupport;
import dev.vigil.daemon.notify.LogSetup;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import dev.vigil.kits.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The MBeans of a real daemon (n1 of a two-server cluster whose n2 is not running; n1 may run the
 * hierarchy alone because it holds the disk lease, on a loop device) read and
 * driven through a real JMX remote connection to its connector on 127.0.0.1: attributes follow
 * the status board (maintenance mode included), the out-of-service and switchover operations
 * move the hierarchy, local recovery shows in the counters, and everything is gone when the
 * daemon stops.
 */
class JmxRemoteTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ROOT = "pg";
    private static final String IP = "ip-10.200.0.100";

    private Path dir;
    private Path leaseImage;
    private String leaseDevice;
    private final Daemon[] daemons = new Daemon[1];

    @AfterEach
    void cleanUp() throws Exception {
        try {
            TestSupport.stopAll(daemons, dir);
        } finally {
            if (leaseDevice != null) {
                TestHost.quietly("losetup", "-d", leaseDevice);
            }
            if (leaseImage != null) {
                Files.deleteIfExists(leaseImage);
            }
        }
    }

    @Test
    void mbeansShowTheStatusAndMoveTheHierarchyOverARealConnection() throws Exception {
        dir = Files.createTempDirectory("vigil-jmx");
        LogSetup.configure(new LogSettings(dir.resolve("logs"), 10L << 20, 5), "test");
        Path scripts = TestSupport.markerScripts(dir.resolve("n1"));
        int jmxPort = TestSupport.freePort();
        TestHost.require("the JMX test (n1 alone holds a disk lease on a loop device)", "losetup");
        leaseImage = Files.createTempFile("vigil-jmx-lease", ".img");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(leaseImage.toFile(), "rw")) {
            f.setLength(8L << 20);
        }
        leaseDevice = TestHost.sh("losetup", "-f", "--show", leaseImage.toString()).trim();
        VigilConfig config = TestSupport.configWith(dir, "n1", TestSupport.freePorts(2), TestSupport.freePort(),
                "fencing { lease-device = \"" + leaseDevice + "\", " + TestSupport.SLOW_DISK_LEASE + " }", """
                  jmx { enabled = true, port = %d }
                  resource-defaults.generic { restore-script = "%2$s/restore", remove-script = "%2$s/remove",
                    quick-check-script = "%2$s/check", recover-script = "%2$s/restore", check-interval = 300ms }
                  hierarchies = [ { tag = %3$s, priorities { n1 = 1, n2 = 10 }, resources = [
                    { tag = "%4$s", type = generic }
                    { tag = %3$s, type = generic, depends-on = ["%4$s"] } ] } ]
                """.formatted(jmxPort, scripts, ROOT, IP));
        daemons[0] = Daemon.start(config, "token", TestSupport.sharedJvm(), () -> { });

        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(JmxConnector.url(jmxPort)))) {
            MBeanServerConnection mbs = connector.getMBeanServerConnection();
            TestSupport.await("the MBeans registered", WAIT, () -> names(mbs).size() == 6, () -> {
                try {
                    return "registered: " + names(mbs) + "\n" + TestSupport.tail(TestSupport.read(dir.resolve("logs/vigil.log")), 40);
                } catch (Exception e) {
                    return e.toString();
                }
            });
            assertEquals(new TreeSet<>(List.of(
                    "dev.vigil:name=n1,type=Server", "dev.vigil:name=n2,type=Server",
                    "dev.vigil:peer=n2,priority=1,server=n1,type=CommPath",
                    "dev.vigil:tag=pg,type=Hierarchy",
                    "dev.vigil:hierarchy=pg,tag=pg,type=Resource", "dev.vigil:hierarchy=pg,tag=" + IP + ",type=Resource")),
                    names(mbs));
            assertTrue(mbs.isRegistered(new ObjectName("java.lang:type=Memory")), "the JVM's own beans beside ours");

            VigilMXBeans.HierarchyMXBean pg = JMX.newMXBeanProxy(mbs, JmxView.name("Hierarchy", "tag", ROOT),
                    VigilMXBeans.HierarchyMXBean.class);
            VigilMXBeans.ResourceMXBean ip = JMX.newMXBeanProxy(mbs,
                    new ObjectName("dev.vigil:type=Resource,hierarchy=pg,tag=" + IP), VigilMXBeans.ResourceMXBean.class);
            VigilMXBeans.ServerMXBean n1 = JMX.newMXBeanProxy(mbs, JmxView.name("Server", "name", "n1"),
                    VigilMXBeans.ServerMXBean.class);
            VigilMXBeans.ServerMXBean n2 = JMX.newMXBeanProxy(mbs, JmxView.name("Server", "name", "n2"),
                    VigilMXBeans.ServerMXBean.class);
            VigilMXBeans.CommPathMXBean path = JMX.newMXBeanProxy(mbs,
                    new ObjectName("dev.vigil:type=CommPath,server=n1,peer=n2,priority=1"), VigilMXBeans.CommPathMXBean.class);

            TestSupport.await("pg in service on n1 (automatic restore)", WAIT, () -> pg.getOwner().equals("n1"));
            assertEquals(Map.of("n1", "ISP"), pg.getStates());
            assertEquals(Map.of("n1", 1, "n2", 10), pg.getPriorities());
            assertEquals("ISP", ip.getLocalState());
            assertEquals("generic", ip.getType());
            assertTrue(n1.isLocal());
            assertEquals("ALIVE", n1.getState());
            assertEquals(List.of(ROOT), List.of(n1.getHierarchiesInService()));
            assertTrue(n1.getUptimeSeconds() >= 0);
            assertFalse(n2.isLocal());
            assertEquals("DEAD", n2.getState());
            assertEquals(-1, n2.getFailovers());
            assertEquals("DEAD", path.getState());
            assertEquals("n2", path.getPeer());

            String removed = pg.outOfService();
            assertEquals("hierarchy \"pg\" is out of service on n1", removed);
            TestSupport.await("pg out of service in the status", WAIT, () -> pg.getOwner().isEmpty());
            assertEquals("OSU", ip.getLocalState());
            assertThrows(IllegalStateException.class, pg::outOfService, "not in service anywhere");

            String restored = pg.switchover("n1");
            assertEquals("hierarchy \"pg\" is in service on n1", restored);
            TestSupport.await("pg in service again in the status", WAIT, () -> pg.getOwner().equals("n1"));
            assertEquals(1, n1.getSwitchovers());

            IllegalStateException toDead = assertThrows(IllegalStateException.class, () -> pg.switchover("n2"));
            assertTrue(toDead.getMessage().startsWith("perform_action -t pg -a restore on n2 could not run: "),
                    toDead.getMessage());
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> pg.switchover("n9"));
            assertEquals("unknown server 'n9'; servers: n1, n2", unknown.getMessage());
            assertEquals("n1", pg.getOwner(), "still where it was");

            // vigil switchover's route: the same moves as the JMX operation.
            int admin = config.admin().port();
            HttpResponse<String> here = TestSupport.http("POST", admin, "/v1/hierarchies/pg/switchover", "token",
                    "{\"to\": \"n1\"}");
            assertEquals(200, here.statusCode(), here.body());
            assertEquals("{\"hierarchy\":\"pg\",\"to\":\"n1\",\"message\":\"hierarchy \\\"pg\\\" is in service on n1\"}",
                    here.body());
            assertEquals(3, n1.getSwitchovers(), "to n1 and to n2 over JMX, to n1 here");
            HttpResponse<String> unknownServer = TestSupport.http("POST", admin, "/v1/hierarchies/pg/switchover",
                    "token", "{\"to\": \"n9\"}");
            assertEquals(404, unknownServer.statusCode());
            assertTrue(unknownServer.body().contains("unknown server 'n9'; servers: n1, n2"), unknownServer.body());
            assertEquals(400, TestSupport.http("POST", admin, "/v1/hierarchies/pg/switchover", "token", "{}")
                    .statusCode());
            HttpResponse<String> toDeadServer = TestSupport.http("POST", admin, "/v1/hierarchies/" + IP + "/switchover",
                    "token", "{\"to\": \"n2\"}");
            assertEquals(409, toDeadServer.statusCode());
            assertTrue(toDeadServer.body().contains("switchover of hierarchy 'pg' to n2 failed: perform_action -t pg -a "
                    + "restore on n2 could not run: "), toDeadServer.body());

            assertFalse(pg.isMaintenance());
            HttpResponse<String> on = TestSupport.http("POST", admin, "/v1/hierarchies/pg/maintenance", "token",
                    "{\"maintenance\": \"on\"}");
            assertEquals(200, on.statusCode(), on.body());
            TestSupport.await("maintenance mode in the hierarchy's bean", WAIT, pg::isMaintenance);
            assertEquals(200, TestSupport.http("POST", admin, "/v1/hierarchies/pg/maintenance", "token",
                    "{\"maintenance\": \"off\"}").statusCode());
            TestSupport.await("maintenance mode over in the hierarchy's bean", WAIT, () -> !pg.isMaintenance());

            Files.delete(dir.resolve("n1").resolve("markers").resolve(IP));
            try {
                TestSupport.await("the local recovery counted", WAIT.multipliedBy(3), () -> ip.getRecoveriesComplete() == 1);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; main log:\n"
                        + TestSupport.read(dir.resolve("logs").resolve("vigil.log")), e);
            }
            assertEquals(1, ip.getRecoveriesInitiated());
            assertEquals(0, ip.getRecoveriesFailed());
        }

        assertEquals(0, daemons[0].stop().toCompletableFuture().get(60, TimeUnit.SECONDS));
        assertTrue(ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("dev.vigil:*"), null).isEmpty(),
                "the MBeans are unregistered");
        assertThrows(java.io.IOException.class, () -> JMXConnectorFactory.connect(
                new JMXServiceURL(JmxConnector.url(jmxPort))).close(), "the connector is closed");
    }

    private static Set<String> names(MBeanServerConnection mbs) {
        try {
            Set<String> out = new TreeSet<>();
            mbs.queryNames(new ObjectName("dev.vigil:*"), null).forEach(n -> out.add(n.getCanonicalName()));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
