package dev.vigil.core.placement;

import static dev.vigil.core.placement.Fixture.DISK;
import static dev.vigil.core.placement.Fixture.TAG;
import static dev.vigil.core.placement.Fixture.dead;
import static dev.vigil.core.placement.Fixture.input;
import static dev.vigil.core.placement.Fixture.running;
import static dev.vigil.core.placement.Fixture.up;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Switchover: perform_action -t TAG -a restore on a backup moves the hierarchy in two phases. */
class SwitchoverTest {

    @Test
    void switchoverFirstRemovesOnTheOldOwnerWhileTheTargetWaits() {
        Decision d = PlacementPolicy.decide(input("n1", running("n1"), up("n2")).withRequest("n2"));
        assertEquals(Optional.of("n2"), d.owner());
        assertEquals(8, d.generation());
        assertEquals(Map.of("n1", Step.REMOVE, "n2", Step.NOTHING), d.steps());
        assertEquals("switching " + TAG + " over to n2 on operator request; waiting for n1 to take it out of service",
                d.reason());
        assertEquals(Optional.empty(), d.refusal());
    }

    @Test
    void switchoverWaitsWhileTheOldOwnerIsStillStopping() {
        Decision d = PlacementPolicy.decide(input("n2", up("n1").withReport(HierarchyReport.STOPPING), up("n2")));
        assertEquals(Map.of("n1", Step.REMOVE, "n2", Step.NOTHING), d.steps());
        assertEquals(7, d.generation());
    }

    @Test
    void switchoverRestoresOnTheTargetOnceTheOldOwnerReportsOutOfService() {
        Decision d = PlacementPolicy.decide(input("n2", up("n1"), up("n2")));
        assertEquals(Map.of("n1", Step.NOTHING, "n2", Step.RESTORE), d.steps());
        assertEquals(7, d.generation());
    }

    @Test
    void switchoverToADeadServerIsRefusedAndNothingMoves() {
        Decision d = PlacementPolicy.decide(input("n1", running("n1"), dead("n2")).withRequest("n2"));
        assertEquals(Optional.of("n1"), d.owner());
        assertEquals(7, d.generation());
        assertEquals(Map.of("n1", Step.KEEP, "n2", Step.NOTHING), d.steps());
        assertEquals(Optional.of("refusing to switch " + TAG + " over to n2: n2 down on all 2 comm paths"), d.refusal());
    }

    @Test
    void switchoverToAServerWithoutEntitlementIsRefused() {
        Decision d = PlacementPolicy.decide(input("n1", running("n1"), up("n2").withEntitled(false)).withRequest("n2"));
        assertEquals(Optional.of("n1"), d.owner());
        assertEquals(Optional.of("refusing to switch " + TAG + " over to n2: n2 is not entitled to run it "
                + "(no quorum or disk lease)"), d.refusal());
    }

    @Test
    void switchoverToAServerOutsideThePriorityListIsRefused() {
        Decision d = PlacementPolicy.decide(input("n1", running("n1"), up("n2")).withRequest("n9"));
        assertEquals(Optional.of("refusing to switch " + TAG + " over to n9: n9 is not in its priority list [n1, n2]"),
                d.refusal());
        assertEquals(Step.KEEP, d.step("n1"));
    }

    @Test
    void switchoverToAShuttingDownServerIsRefused() {
        Decision d = PlacementPolicy.decide(input("n1", running("n1"),
                up("n2").withShutdown(Fixture.lkstop(StopMode.SWITCHOVER))).withRequest("n2"));
        assertEquals(Optional.of("refusing to switch " + TAG + " over to n2: n2 is shutting down (lkstop -n)"),
                d.refusal());
    }

    @Test
    void switchoverToTheCurrentOwnerInServiceChangesNothing() {
        Decision d = PlacementPolicy.decide(input("n1", running("n1"), up("n2")).withRequest("n1"));
        assertEquals(7, d.generation());
        assertEquals(TAG + " is already in service on n1", d.reason());
        assertEquals(Step.KEEP, d.step("n1"));
    }

    @Test
    void operatorRestoreOnAServerWhereItFailedRetriesThere() {
        Decision d = PlacementPolicy.decide(input(null, up("n1").failedWith(FailureKind.FAILED, DISK),
                up("n2").failedWith(FailureKind.FAILED, DISK)).withRequest("n1"));
        assertEquals(Optional.of("n1"), d.owner());
        assertEquals(Step.RESTORE, d.step("n1"));
        assertEquals("switching " + TAG + " over to n1 on operator request", d.reason());
    }

    @Test
    void operatorRestoreAfterAMisconfigurationRetriesOnTheSameOwner() {
        Decision d = PlacementPolicy.decide(input("n1", up("n1").failedWith(FailureKind.MISCONFIGURED, "bad"), up("n2"))
                .withRequest("n1"));
        assertEquals(Step.RESTORE, d.step("n1"));
        assertEquals(7, d.generation());
        assertEquals("restoring " + TAG + " on n1 on operator request", d.reason());
    }
}
