package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.LogType;
import dev.vigil.core.config.LogSettings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.daemon.notify.LogSetup;
import dev.vigil.daemon.notify.Metrics;
import dev.vigil.daemon.notify.PrometheusText;
import dev.vigil.daemon.notify.Snmptrapd;
import dev.vigil.daemon.notify.Trap;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Traps produced by real events of two real daemons (n1, n2 in this JVM) and received by Debian's
 * snmptrapd: startup complete (100), comm path up (140), a resource's local recovery that
 * succeeds (130, 132) and one that fails (130, 131), the comm path down and the server failure
 * when n2 crashes (141, 120), and n1's shutdown (101, 102). Each one is in the SNMP log too, and
 * counted in n1's {@code GET /metrics} (which needs no token).
 */
class ClusterTrapsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String FS = "fs-/share";

    private Path dir;
    private Snmptrapd receiver;
    private final Daemon[] daemons = new Daemon[2];

    @AfterEach
    void cleanUp() {
        try {
            TestSupport.stopAll(daemons, dir);
        } finally {
            if (receiver != null) {
                receiver.close();
            }
        }
    }

    @Test
    void realEventsSendTheirTrapsToSnmptrapd() throws Exception {
        receiver = Snmptrapd.start();
        dir = Files.createTempDirectory("vigil-cluster-traps");
        LogSetup.configure(new LogSettings(dir.resolve("logs"), 10L << 20, 5), "test");
        List<Integer> clusterPorts = TestSupport.freePorts(2);
        List<Integer> adminPorts = TestSupport.freePorts(2);
        Path scripts = TestSupport.markerScripts(dir.resolve("n1"));
        List<CompletableFuture<Daemon>> starting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String server = "n" + (i + 1);
            VigilConfig config = TestSupport.configWith(dir, server, clusterPorts, adminPorts.get(i), """
                      snmp { destinations = ["%s"], community = vigiltest }
                      resource-defaults.generic { restore-script = "%2$s/restore", remove-script = "%2$s/remove",
                        quick-check-script = "%2$s/check", recover-script = "%2$s/restore", check-interval = 300ms,
                        local-recovery-attempts = 1 }
                      hierarchies = [ { tag = "%3$s", priorities { n1 = 1 }, resources = [ { tag = "%3$s", type = generic } ] } ]
                    """.formatted(receiver.destination(), scripts, FS));
            var pekko = i == 1 ? TestSupport.crashable() : TestSupport.sharedJvm();
            starting.add(CompletableFuture.supplyAsync(() -> Daemon.start(config, "token", pekko, () -> { })));
        }
        for (int i = 0; i < 2; i++) {
            daemons[i] = starting.get(i).get(30, TimeUnit.SECONDS);
        }

        awaitMessage(100, "Vigil Startup Complete on server n1");
        awaitMessage(100, "Vigil Startup Complete on server n2");
        awaitMessage(140, "Vigil Communications Path Up from server n1 to server n2 by ");

        Path marker = dir.resolve("n1").resolve("markers").resolve(FS.replace('/', '_'));
        TestSupport.await("the hierarchy in service on n1", WAIT, () -> Files.exists(marker));
        Files.delete(marker);
        Snmptrapd.Received initiated = awaitMessage(130, "Vigil Resource Recovery Initiated for resource " + FS
                + " on server n1 after event gen,fail");
        assertEquals(FS, initiated.value(Trap.RESOURCE_OID).orElseThrow());
        Snmptrapd.Received complete = awaitMessage(132, "Vigil Resource Recovery Complete for resource " + FS);
        assertEquals(FS, complete.value(Trap.RESOURCE_OID).orElseThrow());

        TestSupport.script(scripts.resolve("restore"), "exit 1\n");
        Files.delete(marker);
        Snmptrapd.Received failed = awaitMessage(131, "Vigil Resource Recovery Failed for resource " + FS);
        assertEquals(FS, failed.value(Trap.RESOURCE_OID).orElseThrow());
        assertEquals(2, count(130), "every recovery starts with 130");

        // 131 is sent when the last attempt fails; the hierarchy is taken out of service right after.
        TestSupport.await("the hierarchy out of service in n1's metrics", WAIT, () -> metrics(adminPorts.get(0))
                .get("vigil_hierarchy_in_service{server=\"n1\",hierarchy=\"" + FS + "\"}") == 0.0);
        Map<String, Double> metrics = metrics(adminPorts.get(0));
        assertEquals(2.0, metrics.get("vigil_local_recoveries_total{resource=\"" + FS + "\",stage=\"initiated\"}"));
        assertEquals(1.0, metrics.get("vigil_local_recoveries_total{resource=\"" + FS + "\",stage=\"complete\"}"));
        assertEquals(1.0, metrics.get("vigil_local_recoveries_total{resource=\"" + FS + "\",stage=\"failed\"}"));
        assertEquals(1.0, metrics.get("vigil_server_up{server=\"n2\"}"));
        assertEquals(0.0, metrics.get("vigil_hierarchy_in_service{server=\"n1\",hierarchy=\"" + FS + "\"}"));
        assertEquals(1.0, metrics.get("vigil_resource_state{server=\"n1\",hierarchy=\"" + FS + "\",resource=\"" + FS
                + "\",state=\"OSF\"}"));
        assertTrue(metrics.get("vigil_daemon_uptime_seconds") > 0, metrics.toString());
        assertTrue(metrics.get("vigil_jvm_heap_used_bytes") > 0, metrics.toString());

        // A loaded machine may have seen the path flap already: only what comes after the crash counts.
        TestSupport.await("n2 ALIVE for n1 before the crash", WAIT, () -> metrics(adminPorts.get(0))
                .get("vigil_server_up{server=\"n2\"}") == 1.0);
        int before = receiver.traps().size();
        double failuresBefore = metrics(adminPorts.get(0)).get("vigil_server_failures_total");
        daemons[1].system().terminate(); // a crash: n2 neither leaves nor says goodbye
        awaitMessage(141, "Vigil Communications Path Down from server n1 to server n2 by ", before);
        awaitMessage(120, "Vigil Node Failure Detected for server n2 by server n1: DEAD on all 1 comm paths", before);
        TestSupport.await("n2 DEAD in n1's metrics", WAIT, () -> metrics(adminPorts.get(0))
                .get("vigil_server_up{server=\"n2\"}") == 0.0);
        assertTrue(metrics(adminPorts.get(0)).get("vigil_comm_path_failures_total") >= 1);
        assertTrue(metrics(adminPorts.get(0)).get("vigil_server_failures_total") > failuresBefore);

        assertEquals(0, daemons[0].stop().toCompletableFuture().get(60, TimeUnit.SECONDS));
        awaitMessage(101, "Vigil Shutdown Initiated on server n1");
        awaitMessage(102, "Vigil Shutdown Complete on server n1");

        String snmpLog = TestSupport.read(dir.resolve("logs").resolve(LogType.SNMP.fileName()));
        assertTrue(snmpLog.contains("Trap 131 [Vigil Resource Recovery Failed for resource " + FS + " on server n1 "
                + "after event gen,fail] sent to " + receiver.destination() + " :" + FS + "\n"), snmpLog);
        assertTrue(snmpLog.contains("n2 INFO  ") && snmpLog.contains("Trap 100 [Vigil Startup Complete on server n2]"),
                "n2's lines carry its name: " + snmpLog);
    }

    /** n1's {@code GET /metrics}, without a token, parsed strictly. */
    private static Map<String, Double> metrics(int adminPort) {
        HttpResponse<String> r = TestSupport.http("GET", adminPort, "/metrics", null, null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(Metrics.CONTENT_TYPE.replace(" ", ""), r.headers().firstValue("Content-Type").orElseThrow()
                .replace(" ", "").toLowerCase(java.util.Locale.ROOT));
        return PrometheusText.parse(r.body());
    }

    private long count(int number) {
        return receiver.traps().stream().filter(t -> t.oid().equals("1.3.6.1.4.1.7359.1.0." + number)).count();
    }

    /** Waits for trap {@code number} whose message starts with {@code prefix}. */
    private Snmptrapd.Received awaitMessage(int number, String prefix) {
        return awaitMessage(number, prefix, 0);
    }

    /** As {@link #awaitMessage(int, String)}, among the traps received after the first {@code skip}. */
    private Snmptrapd.Received awaitMessage(int number, String prefix, int skip) {
        String oid = "1.3.6.1.4.1.7359.1.0." + number;
        TestSupport.await("trap " + number + " \"" + prefix + "...\"", WAIT, () -> receiver.traps().stream().skip(skip)
                .anyMatch(t -> t.oid().equals(oid) && t.value(Trap.MESSAGE_OID).orElse("").startsWith(prefix)));
        return receiver.traps().stream().skip(skip).filter(t -> t.oid().equals(oid)
                && t.value(Trap.MESSAGE_OID).orElse("").startsWith(prefix)).findFirst().orElseThrow();
    }
}
