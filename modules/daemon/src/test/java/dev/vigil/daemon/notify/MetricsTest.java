package dev.vigil.daemon.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.CommPathState;
import dev.vigil.core.ResourceState;
import dev.vigil.core.ServerState;
import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.CommPathStatus;
import dev.vigil.core.status.HierarchyInfo;
import dev.vigil.core.status.ResourceInfo;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.core.status.ServerStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Prometheus text of a status the test writes: valid 0.0.4 text, one series per fact, labels escaped. */
class MetricsTest {

    private static ClusterStatus status() {
        ResourceInfo root = new ResourceInfo("pg \"main\"", "pg", "generic", "gen", "app", "", List.of("ip"), 0);
        ResourceInfo ip = new ResourceInfo("ip", "ip", "generic", "gen", "app", "", List.of(), 1);
        HierarchyInfo h = new HierarchyInfo("pg \"main\"", "intelligent", Map.of("n1", 1, "n2", 10), List.of(root, ip));
        ServerStatus n1 = new ServerStatus("n1", "10.200.0.1", ServerState.ALIVE, Instant.now(),
                ShutdownStrategy.DO_NOT_SWITCHOVER, List.of(new CommPathStatus("n2", "TCP", "10.200.0.1", "10.200.0.2",
                CommPathState.DEAD, 1, 3)), Map.of("pg \"main\"", new ResourceStatus(ResourceState.ISP, "ok"),
                "ip", new ResourceStatus(ResourceState.ISU, "ok")));
        ServerStatus n2 = new ServerStatus("n2", "10.200.0.2", ServerState.DEAD, null, ShutdownStrategy.DO_NOT_SWITCHOVER,
                List.of(), Map.of());
        return new ClusterStatus("n1", "vigil", Instant.now(), List.of(n1, n2), List.of(h));
    }

    @Test
    void everyFactIsOneSeriesAndTheTextIsValid() {
        EventCounters counters = new EventCounters();
        counters.resourceRecoveryInitiated("ip", "ip,pingfail");
        counters.resourceRecoveryComplete("ip", "ip,pingfail");
        counters.serverRecoveryComplete("n2", List.of("ip"), List.of());
        Map<String, Double> m = PrometheusText.parse(new Metrics(counters, Instant.now().minusSeconds(90))
                .render(status()));
        assertEquals(1.0, m.get("vigil_server_up{server=\"n1\"}"));
        assertEquals(0.0, m.get("vigil_server_up{server=\"n2\"}"));
        String path = "{server=\"n1\",peer=\"n2\",local_address=\"10.200.0.1\",remote_address=\"10.200.0.2\",priority=\"1\"}";
        assertEquals(0.0, m.get("vigil_comm_path_up" + path));
        assertEquals(3.0, m.get("vigil_comm_path_downs_total" + path));
        String pg = "server=\"n1\",hierarchy=\"pg \\\"main\\\"\"";
        assertEquals(1.0, m.get("vigil_hierarchy_in_service{" + pg + "}"));
        assertEquals(1.0, m.get("vigil_resource_state{" + pg + ",resource=\"ip\",state=\"ISU\"}"));
        assertEquals(0.0, m.get("vigil_resource_state{" + pg + ",resource=\"ip\",state=\"ISP\"}"));
        assertEquals(1.0, m.get("vigil_local_recoveries_total{resource=\"ip\",stage=\"initiated\"}"));
        assertEquals(1.0, m.get("vigil_local_recoveries_total{resource=\"ip\",stage=\"complete\"}"));
        assertEquals(1.0, m.get("vigil_failovers_total"));
        assertTrue(m.get("vigil_daemon_uptime_seconds") >= 90, m.toString());
        assertTrue(m.keySet().stream().noneMatch(k -> k.contains("server=\"n2\",hierarchy")), "n2 reported nothing");
    }

    @Test
    void theTestsReaderRefusesWhatPrometheusWouldRefuse() {
        assertThrows(AssertionError.class, () -> PrometheusText.parse("vigil_x 1\n"), "no TYPE");
        assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE vigil_x gauge\nvigil_x{a=\"b} 1\n"));
        assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE vigil_x gauge\nvigil_x one\n"));
    }
}
