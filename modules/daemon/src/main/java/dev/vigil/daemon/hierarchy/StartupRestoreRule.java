package dev.vigil.daemon.hierarchy;

import dev.vigil.core.ServerState;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.ResourceConfig;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.core.status.ServerStatus;
import java.util.List;
import java.util.Objects;

/**
 * Where a hierarchy may be brought in service, judged from the replicated cluster status — the
 * rule Vigil follows until a cluster-wide placement decides it: a hierarchy is restored
 * automatically when a daemon starts (AUTORES_ISP) only on the highest-priority server among
 * those ALIVE, and never while another ALIVE server reports it in service. The same check
 * refuses an operator's restore here while another server has the hierarchy.
 */
public final class StartupRestoreRule {

    /** Whether to restore, and why (for the main log). */
    public record Decision(boolean restore, String reason) {
    }

    private StartupRestoreRule() {
    }

    public static Decision decide(HierarchyConfig h, String self, ClusterStatus status) {
        List<String> elsewhere = inServiceElsewhere(h, self, status);
        if (!elsewhere.isEmpty()) {
            return new Decision(false, "it is in service on " + String.join(", ", elsewhere));
        }
        List<String> alive = h.serversByPriority().stream().filter(s -> s.equals(self) || alive(status, s)).toList();
        if (!alive.get(0).equals(self)) {
            return new Decision(false, "server \"" + alive.get(0) + "\" has a higher priority ("
                    + h.priorities().get(alive.get(0)) + " before " + h.priorities().get(self) + ") and is alive");
        }
        return new Decision(true, "this server has the highest priority of the servers alive ("
                + String.join(", ", alive) + ")");
    }

    /** The ALIVE servers other than {@code self} whose last report has a resource of {@code h} in service. */
    public static List<String> inServiceElsewhere(HierarchyConfig h, String self, ClusterStatus status) {
        return status.servers().stream()
                .filter(s -> !s.name().equals(self) && s.state() == ServerState.ALIVE)
                .filter(s -> h.resources().stream().map(ResourceConfig::tag).map(t -> s.resources().get(t))
                        .filter(Objects::nonNull).map(ResourceStatus::state).anyMatch(st -> st != null && st.inService()))
                .map(ServerStatus::name)
                .toList();
    }

    private static boolean alive(ClusterStatus status, String server) {
        return status.server(server).map(s -> s.state() == ServerState.ALIVE).orElse(false);
    }
}
