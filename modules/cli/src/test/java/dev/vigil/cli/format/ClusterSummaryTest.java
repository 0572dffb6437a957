package dev.vigil.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.cli.testing.StatusFixtures;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterSummaryTest {
    private final ClusterSummary summary = new ClusterSummary(ZoneId.of("UTC"));

    @Test
    void aHierarchyInServiceOnlyInADeadServersLastReportIsInServiceNowhere() {
        assertEquals(List.of("*** WARNING: hierarchy app-batch is in service on no server",
                        "*** WARNING: resource app-batch is OSF on n2: restore failed: /opt/batch/bin/restore exited with code 1"),
                summary.warnings(StatusFixtures.threeServers(), Optional.empty()));
    }

    @Test
    void aHierarchyInMaintenanceModeIsFlaggedWithHowToEndIt() {
        String warning = "*** WARNING: hierarchy powergres-/share/data is in maintenance mode: checks, local recovery and"
                + " failover are suspended ('vigil maintenance off powergres-/share/data' ends it)";
        assertEquals(List.of(warning), summary.warnings(StatusFixtures.pgInMaintenance(), Optional.of(StatusFixtures.PG)));
        List<String> lines = summary.lines(StatusFixtures.pgInMaintenance(), Optional.of(StatusFixtures.PG));
        assertEquals("    " + warning, lines.get(lines.size() - 1));
        assertEquals(List.of(), summary.warnings(StatusFixtures.threeServers(), Optional.of(StatusFixtures.PG)),
                "not in maintenance mode: no warning");
    }

    @Test
    void aFailedChildIsNamedWithItsLastErrorWhenTheRootIsOnlyOutOfService() {
        assertEquals(List.of(
                "Hierarchy powergres-/share/data:",
                "    machine=n1  priority=1   state=OSU       (StandBy)  reason=out of service",
                "    machine=n2  priority=10  state=ILLSTATE  (Unknown)  reason=no state reported by n2 (no report "
                        + "received: server is DEAD)",
                "    *** WARNING: hierarchy powergres-/share/data is in service on no server",
                "    *** WARNING: resource fs-/share is OSF on n1: restore failed: cannot open device \"/dev/sdb1\": No "
                        + "such device or address"),
                summary.lines(StatusFixtures.failedChild(), Optional.empty()));
    }

    @Test
    void aServerAliveOnlyOnASecondaryPathIsFlaggedWithTheAgeOfItsReport() {
        assertEquals(List.of("*** WARNING: server n2 is ALIVE on a secondary comm path only: its cluster connection is"
                        + " DEAD, so its status is its last report 42 s ago and remote exec to it fails"),
                summary.warnings(StatusFixtures.aliveOnSecondPathOnly(), Optional.empty()));
    }

    @Test
    void aHierarchyInServiceOnOneLiveServerHasNoWarning() {
        assertEquals(List.of(), summary.warnings(StatusFixtures.threeServers(), Optional.of(StatusFixtures.PG)));
    }

    @Test
    void aHierarchyInServiceOnTwoServersIsFlaggedWithBothNames() {
        assertEquals(List.of(
                "Hierarchy web:",
                "    machine=a  priority=1  state=ISP  (Active)    reason=restore action has succeeded",
                "    machine=b  priority=2  state=ISU  (Degraded)  reason=quickCheck failed; no backup",
                "    *** WARNING: hierarchy web is in service on more than one server: a, b"),
                summary.lines(StatusFixtures.inServiceTwice(), Optional.empty()));
    }
}
