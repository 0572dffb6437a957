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
        assertEquals(List.of("*** WARNING: hierarchy app-batch is in service on no server"),
                summary.warnings(StatusFixtures.threeServers(), Optional.empty()));
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
