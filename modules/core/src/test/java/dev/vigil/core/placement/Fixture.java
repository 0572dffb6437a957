package dev.vigil.core.placement;

import dev.vigil.core.ServerState;
import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.Switchback;
import dev.vigil.core.config.HierarchyConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds placement inputs for the PostgreSQL hierarchy of the manual on n1 (1), n2 (10), n3 (20). */
final class Fixture {

    static final String TAG = "powergres-/share/data";
    static final String DISK = "restore of fs-/share: cannot open device \"/dev/sdb1\"";

    private Fixture() {
    }

    static HierarchyConfig hierarchy(Switchback switchback, String... servers) {
        Map<String, Integer> priorities = new LinkedHashMap<>();
        for (int i = 0; i < servers.length; i++) {
            priorities.put(servers[i], i == 0 ? 1 : i * 10);
        }
        return new HierarchyConfig(TAG, priorities, switchback, List.of());
    }

    static ServerView up(String name) {
        return ServerView.healthy(name);
    }

    static ServerView running(String name) {
        return ServerView.healthy(name).withReport(HierarchyReport.IN_SERVICE);
    }

    static ServerView dead(String name) {
        return ServerView.healthy(name).withState(ServerState.DEAD).withReport(HierarchyReport.IN_SERVICE);
    }

    static ServerView deadFenced(String name) {
        return dead(name).withFenced(true);
    }

    static Shutdown lkstop(ShutdownStrategy strategy) {
        return new Shutdown(StopMode.PLAIN, strategy);
    }

    static Shutdown lkstop(StopMode mode) {
        return new Shutdown(mode, ShutdownStrategy.DO_NOT_SWITCHOVER);
    }

    /** Input for n1, n2, n3 (in that priority order) from these views, owner {@code owner} at generation 7. */
    static PlacementInput input(Switchback switchback, String owner, ServerView... views) {
        List<String> names = new ArrayList<>();
        for (ServerView v : views) {
            names.add(v.name());
        }
        return PlacementInput.of(hierarchy(switchback, names.toArray(String[]::new)), List.of(views),
                owner == null ? OwnerRecord.none(7) : OwnerRecord.of(owner, 7));
    }

    static PlacementInput input(String owner, ServerView... views) {
        return input(Switchback.INTELLIGENT, owner, views);
    }
}
