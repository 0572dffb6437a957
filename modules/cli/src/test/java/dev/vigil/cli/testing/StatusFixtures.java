package dev.vigil.cli.testing;

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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-built cluster statuses for the layout tests. {@link #threeServers()}: n1 (local) runs the
 * PostgreSQL hierarchy (3 levels: powergres → fs → volume group, plus the IP); n2 failed to
 * start app-batch; n3 is DEAD and its last report still says app-batch ISP — so app-batch is
 * in service on no live server.
 */
public final class StatusFixtures {
    public static final Instant NOW = Instant.parse("2025-11-26T13:40:00Z");
    public static final Instant N3_LAST_REPORT = Instant.parse("2025-11-26T13:12:30Z");
    public static final String PG = "powergres-/share/data";
    public static final String IP = "ip-10.200.0.100";
    public static final String FS = "fs-/share";
    public static final String VG = "vg-vg0";
    public static final String BATCH = "app-batch";

    private static final String OK = "restore action has succeeded";
    private static final String ELSEWHERE = "in service on another server";

    private StatusFixtures() {
    }

    public static ClusterStatus threeServers() {
        HierarchyInfo pg = new HierarchyInfo(PG, "intelligent", priorities("n1", 1, "n2", 10, "n3", 20), List.of(
                new ResourceInfo(PG, "/share/data", "postgresql", "database", "pgsql",
                        "/share/data port=5432 user=postgres", List.of(IP, FS), 0),
                new ResourceInfo(IP, "IP-10.200.0.100", "ip", "comm", "ip", "eth0 10.200.0.100/24", List.of(), 1),
                new ResourceInfo(FS, "/share", "filesystem", "gen", "filesys", "/dev/mapper/vg0-share /share ext4",
                        List.of(VG), 1),
                new ResourceInfo(VG, "vg0", "generic", "gen", "app", "vg0", List.of(), 2)));
        HierarchyInfo batch = new HierarchyInfo(BATCH, "automatic", priorities("n2", 1, "n1", 2, "n3", 3), List.of(
                new ResourceInfo(BATCH, "/opt/batch/bin/restore", "generic", "gen", "app", "nightly batch", List.of(), 0)));

        ServerStatus n1 = new ServerStatus("n1", "10.200.0.1", ServerState.ALIVE, NOW, ShutdownStrategy.DO_NOT_SWITCHOVER,
                List.of(path("n2", "10.200.0.1", "10.200.0.2", CommPathState.ALIVE, 0),
                        path("n3", "10.200.0.1", "10.200.0.3", CommPathState.DEAD, 1)),
                resources(ResourceState.ISP, OK, ResourceState.OSU, ELSEWHERE));
        ServerStatus n2 = new ServerStatus("n2", "10.200.0.2", ServerState.ALIVE, NOW, ShutdownStrategy.SWITCHOVER,
                List.of(path("n1", "10.200.0.2", "10.200.0.1", CommPathState.ALIVE, 0),
                        path("n3", "10.200.0.2", "10.200.0.3", CommPathState.DEAD, 1)),
                resources(ResourceState.OSU, ELSEWHERE, ResourceState.OSF,
                        "restore failed: /opt/batch/bin/restore exited with code 1"));
        ServerStatus n3 = new ServerStatus("n3", "10.200.0.3", ServerState.DEAD, N3_LAST_REPORT,
                ShutdownStrategy.DO_NOT_SWITCHOVER,
                List.of(path("n1", "10.200.0.3", "10.200.0.1", CommPathState.ALIVE, 0),
                        path("n2", "10.200.0.3", "10.200.0.2", CommPathState.ALIVE, 0)),
                resources(ResourceState.OSU, ELSEWHERE, ResourceState.ISP, OK));
        return new ClusterStatus("n1", "vigil", NOW, List.of(n1, n2, n3), List.of(pg, batch));
    }

    /** {@link #threeServers()} with the PostgreSQL hierarchy in maintenance mode (still in service on n1). */
    public static ClusterStatus pgInMaintenance() {
        ClusterStatus s = threeServers();
        return new ClusterStatus(s.local(), s.cluster(), s.generatedAt(), s.servers(), s.hierarchies(), List.of(
                new PlacementStatus(PG, "n1", 4, "no placement decisions for " + PG + ": it is in maintenance mode", true),
                new PlacementStatus(BATCH, null, 3, "app-batch cannot be restored on n2", false)));
    }

    /** A two-server cluster where both servers report the hierarchy in service. */
    public static ClusterStatus inServiceTwice() {
        HierarchyInfo h = new HierarchyInfo("web", "intelligent", priorities("a", 1, "b", 2), List.of(
                new ResourceInfo("web", "web", "generic", "gen", "app", "", List.of(), 0)));
        ServerStatus a = new ServerStatus("a", "10.200.0.1", ServerState.ALIVE, NOW, ShutdownStrategy.DO_NOT_SWITCHOVER,
                List.of(), Map.of("web", new ResourceStatus(ResourceState.ISP, OK)));
        ServerStatus b = new ServerStatus("b", "10.200.0.2", ServerState.ALIVE, NOW, ShutdownStrategy.DO_NOT_SWITCHOVER,
                List.of(), Map.of("web", new ResourceStatus(ResourceState.ISU, "quickCheck failed; no backup")));
        return new ClusterStatus("a", "vigil", NOW, List.of(a, b), List.of(h));
    }

    /**
     * One server whose hierarchy is out of service because a child failed: the filesystem OSF with
     * the kit's error, the root only OSU.
     */
    public static ClusterStatus failedChild() {
        HierarchyInfo h = new HierarchyInfo(PG, "intelligent", priorities("n1", 1, "n2", 10), List.of(
                new ResourceInfo(PG, "/share/data", "postgresql", "database", "pgsql", "", List.of(FS), 0),
                new ResourceInfo(FS, "/share", "filesystem", "gen", "filesys", "", List.of(), 1)));
        Map<String, ResourceStatus> r = new LinkedHashMap<>();
        r.put(FS, new ResourceStatus(ResourceState.OSF,
                "restore failed: cannot open device \"/dev/sdb1\": No such device or address"));
        r.put(PG, new ResourceStatus(ResourceState.OSU, "out of service"));
        ServerStatus n1 = new ServerStatus("n1", "10.200.0.1", ServerState.ALIVE, NOW, ShutdownStrategy.DO_NOT_SWITCHOVER,
                List.of(), r);
        ServerStatus n2 = new ServerStatus("n2", "10.200.0.2", ServerState.DEAD, null, null, List.of(), Map.of());
        return new ClusterStatus("n1", "vigil", NOW, List.of(n1, n2), List.of(h));
    }

    /**
     * Two servers joined by the cluster connection (priority 1, TCP) and a second network
     * (priority 2, UDP). Seen from n1 the cluster connection to n2 is DEAD and the network ALIVE:
     * n2 is ALIVE with a report 42 s old.
     */
    public static ClusterStatus aliveOnSecondPathOnly() {
        HierarchyInfo h = new HierarchyInfo("web", "intelligent", priorities("n1", 1, "n2", 2), List.of(
                new ResourceInfo("web", "web", "generic", "gen", "app", "", List.of(), 0)));
        ServerStatus n1 = new ServerStatus("n1", "10.200.0.1", ServerState.ALIVE, NOW, ShutdownStrategy.DO_NOT_SWITCHOVER,
                List.of(new CommPathStatus("n2", "TCP", "10.200.0.1", "10.200.0.2", CommPathState.DEAD, 1, 1),
                        new CommPathStatus("n2", "UDP", "10.201.0.1", "10.201.0.2", CommPathState.ALIVE, 2, 0)),
                Map.of("web", new ResourceStatus(ResourceState.ISP, OK)));
        ServerStatus n2 = new ServerStatus("n2", "10.200.0.2", ServerState.ALIVE, NOW.minusSeconds(42),
                ShutdownStrategy.DO_NOT_SWITCHOVER,
                List.of(new CommPathStatus("n1", "TCP", "10.200.0.2", "10.200.0.1", CommPathState.ALIVE, 1, 0),
                        new CommPathStatus("n1", "UDP", "10.201.0.2", "10.201.0.1", CommPathState.ALIVE, 2, 0)),
                Map.of("web", new ResourceStatus(ResourceState.OSU, ELSEWHERE)));
        return new ClusterStatus("n1", "vigil", NOW, List.of(n1, n2), List.of(h));
    }

    private static Map<String, ResourceStatus> resources(ResourceState pg, String pgReason, ResourceState batch,
                                                         String batchReason) {
        Map<String, ResourceStatus> m = new LinkedHashMap<>();
        for (String tag : List.of(PG, IP, FS, VG)) {
            m.put(tag, new ResourceStatus(pg, pgReason));
        }
        m.put(BATCH, new ResourceStatus(batch, batchReason));
        return m;
    }

    private static CommPathStatus path(String to, String local, String remote, CommPathState state, int downs) {
        return new CommPathStatus(to, "TCP", local, remote, state, 1, downs);
    }

    private static Map<String, Integer> priorities(String s1, int p1, String s2, int p2, String s3, int p3) {
        Map<String, Integer> m = priorities(s1, p1, s2, p2);
        m.put(s3, p3);
        return m;
    }

    private static Map<String, Integer> priorities(String s1, int p1, String s2, int p2) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(s1, p1);
        m.put(s2, p2);
        return m;
    }
}
