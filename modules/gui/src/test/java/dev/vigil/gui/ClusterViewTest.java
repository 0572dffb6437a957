package dev.vigil.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.CommPathState;
import dev.vigil.core.ResourceState;
import dev.vigil.core.ServerState;
import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.CommPathStatus;
import dev.vigil.core.status.HierarchyInfo;
import dev.vigil.core.status.PlacementStatus;
import dev.vigil.core.status.ResourceInfo;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.core.status.ServerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The GUI's words for the daemon's status: server health, cell states, owner, maintenance mode and last error. */
class ClusterViewTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private static CommPathStatus path(String to, int priority, CommPathState state) {
        return new CommPathStatus(to, priority == 1 ? "TCP" : "UDP", "a", "b:" + priority, state, priority, 0);
    }

    private static ServerStatus server(String name, ServerState state, List<CommPathStatus> paths,
                                       Map<String, ResourceStatus> resources) {
        return new ServerStatus(name, name + ":7365", state, NOW, ShutdownStrategy.DO_NOT_SWITCHOVER, paths, resources);
    }

    private static ClusterStatus status(ServerStatus... servers) {
        HierarchyInfo h = new HierarchyInfo("pg", "intelligent", Map.of("n1", 1, "n2", 10, "n3", 20), List.of(
                new ResourceInfo("pg", "pg", "postgresql", "database", "pgsql", "", List.of("ip"), 0),
                new ResourceInfo("ip", "ip", "ip", "comm", "ip", "", List.of(), 1)));
        return new ClusterStatus("n1", "vigil", NOW, List.of(servers), List.of(h));
    }

    @Test
    void serverHealthIsAliveAliveWithWarningOrDead() {
        ClusterView v = ClusterView.of(status(
                server("n1", ServerState.ALIVE, List.of(path("n2", 1, CommPathState.ALIVE), path("n2", 2, CommPathState.ALIVE)), Map.of()),
                server("n2", ServerState.ALIVE, List.of(path("n1", 1, CommPathState.ALIVE), path("n1", 2, CommPathState.DEAD)), Map.of()),
                server("n3", ServerState.DEAD, List.of(), Map.of())));
        assertEquals("Alive", v.server("n1").orElseThrow().health());
        assertEquals("Alive-with-warning", v.server("n2").orElseThrow().health());
        assertEquals("comm path to n1 (UDP b:2) is DEAD", v.server("n2").orElseThrow().warning());
        assertEquals("Dead", v.server("n3").orElseThrow().health());
        ClusterView single = ClusterView.of(status(
                server("n1", ServerState.ALIVE, List.of(path("n2", 1, CommPathState.ALIVE)), Map.of())));
        assertEquals("no redundant comm path to n2", single.server("n1").orElseThrow().warning());
    }

    @Test
    void cellsCarryTheManualsWordsOwnerAndLastErrorAndADeadServerIsUnknown() {
        ClusterView v = ClusterView.of(status(
                server("n1", ServerState.ALIVE, List.of(), Map.of(
                        "pg", new ResourceStatus(ResourceState.ISP, "restore action has succeeded"),
                        "ip", new ResourceStatus(ResourceState.ISU, "ping failed"))),
                server("n2", ServerState.ALIVE, List.of(), Map.of(
                        "pg", new ResourceStatus(ResourceState.OSU, "out of service"),
                        "ip", new ResourceStatus(ResourceState.OSF, "restore failed: address in use"))),
                server("n3", ServerState.DEAD, List.of(), Map.of(
                        "pg", new ResourceStatus(ResourceState.OSU, "out of service")))));
        ClusterView.Hierarchy h = v.hierarchies().get(0);
        assertEquals("n1", h.owner());
        assertEquals("Active", h.states().get("n1").word());
        ClusterView.Resource ip = h.resources().get(1);
        assertEquals("Degraded", ip.states().get("n1").word());
        assertEquals("Failed", ip.states().get("n2").word());
        assertEquals(ResourceState.OSF, ip.states().get("n2").code());
        assertEquals("n2: restore failed: address in use", ip.lastError());
        assertEquals("n2: restore failed: address in use", h.lastError());
        assertEquals("Unknown", h.states().get("n3").word());
        assertEquals("server n3 is DEAD; it last reported OSU (out of service)", h.states().get("n3").reason());
        assertEquals("Unknown", ip.states().get("n3").word());
        assertNull(h.resources().get(0).lastError());
    }

    @Test
    void aHierarchyIsInMaintenanceModeWhenItsPlacementSaysSo() {
        ClusterStatus plain = status(server("n1", ServerState.ALIVE, List.of(), Map.of()));
        assertFalse(ClusterView.of(plain).hierarchies().get(0).maintenance(), "no placement yet: not in maintenance mode");
        ClusterStatus on = new ClusterStatus(plain.local(), plain.cluster(), NOW, plain.servers(), plain.hierarchies(),
                List.of(new PlacementStatus("pg", "n1", 3, "no placement decisions for pg: it is in maintenance mode", true)));
        assertTrue(ClusterView.of(on).hierarchies().get(0).maintenance());
        assertTrue(ClusterView.of(on).hierarchyOf("ip").orElseThrow().maintenance(), "found by any resource's tag");
    }

    @Test
    void loginWaitsGrowAfterThreeFailuresUpToAMinute() {
        assertEquals(Duration.ZERO, LoginGuard.waitAfter(2));
        assertEquals(Duration.ofSeconds(2), LoginGuard.waitAfter(3));
        assertEquals(Duration.ofSeconds(4), LoginGuard.waitAfter(4));
        assertEquals(Duration.ofSeconds(60), LoginGuard.waitAfter(20));
    }
}
