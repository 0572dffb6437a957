package dev.vigil.core.placement;

import static dev.vigil.core.placement.Fixture.DISK;
import static dev.vigil.core.placement.Fixture.TAG;
import static dev.vigil.core.placement.Fixture.dead;
import static dev.vigil.core.placement.Fixture.deadFenced;
import static dev.vigil.core.placement.Fixture.input;
import static dev.vigil.core.placement.Fixture.running;
import static dev.vigil.core.placement.Fixture.up;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Failover: the owner's server dies, or the hierarchy fails there beyond local recovery. */
class FailoverTest {

    @Test
    void ownerCrashFailsOverToTheNextServerByPriorityWithTheNextGeneration() {
        Decision d = PlacementPolicy.decide(input("n1", deadFenced("n1"), up("n2"), up("n3")));
        assertEquals(Optional.of("n2"), d.owner());
        assertEquals(8, d.generation());
        assertTrue(d.ownerChanged());
        assertEquals(Map.of("n1", Step.NOTHING, "n2", Step.RESTORE, "n3", Step.NOTHING), d.steps());
        assertEquals("failing over " + TAG + " to n2: n1 down on all 2 comm paths", d.reason());
    }

    @Test
    void failoverTargetWaitsUntilTheDeadOwnersLeaseHasExpired() {
        Decision d = PlacementPolicy.decide(input("n1", dead("n1"), up("n2")));
        assertEquals(Optional.of("n2"), d.owner());
        assertEquals(8, d.generation());
        assertEquals(Step.NOTHING, d.step("n2"));
        assertEquals("failing over " + TAG + " to n2: n1 down on all 2 comm paths; "
                + "waiting for n1 to be fenced (its disk lease or its guard's deadline has not surely passed yet)", d.reason());
    }

    @Test
    void decidedNewOwnerRestoresOnceTheOldOwnerIsFencedWithoutAnotherGeneration() {
        Decision d = PlacementPolicy.decide(input("n2", deadFenced("n1"), up("n2")));
        assertEquals(Step.RESTORE, d.step("n2"));
        assertEquals(7, d.generation());
        assertFalse(d.ownerChanged());
        assertEquals("bringing " + TAG + " in service on n2", d.reason());
    }

    @Test
    void reasonCountsTheCommPathsThatAreDown() {
        Decision d = PlacementPolicy.decide(input("n1", deadFenced("n1").withCommPaths(1), up("n2")));
        assertEquals("failing over " + TAG + " to n2: n1 down on all 1 comm path", d.reason());
    }

    @Test
    void localRecoveryExhaustedFailsOverAndTheFailedServerNeedsNoRemoval() {
        Decision d = PlacementPolicy.decide(input("n1",
                up("n1").failedWith(FailureKind.FAILED, "powergres,recover: all attempts at local recovery have failed"),
                up("n2")));
        assertEquals(Map.of("n1", Step.NOTHING, "n2", Step.RESTORE), d.steps());
        assertEquals("failing over " + TAG + " to n2: n1 failed (powergres,recover: all attempts at local "
                + "recovery have failed)", d.reason());
    }

    @Test
    void notAvailableHereFailsOver() {
        Decision d = PlacementPolicy.decide(input("n1", up("n1").failedWith(FailureKind.NOT_AVAILABLE_HERE, DISK), up("n2")));
        assertEquals(Optional.of("n2"), d.owner());
        assertEquals("failing over " + TAG + " to n2: n1 cannot run it here (" + DISK + ")", d.reason());
    }

    @Test
    void cascadeSkipsTheNextServerWhenItFailedTooAndMovesOnToTheThird() {
        Decision d = PlacementPolicy.decide(input("n2",
                up("n1").failedWith(FailureKind.FAILED, DISK),
                up("n2").failedWith(FailureKind.FAILED, "restore of powergres-/share/data: pg_ctl start failed"),
                up("n3")));
        assertEquals(Optional.of("n3"), d.owner());
        assertEquals(8, d.generation());
        assertEquals(Map.of("n1", Step.NOTHING, "n2", Step.NOTHING, "n3", Step.RESTORE), d.steps());
    }

    @Test
    void failoverSkipsDeadAndNotEntitledServersInPriorityOrder() {
        Decision d = PlacementPolicy.decide(input("n1", deadFenced("n1"), up("n2").withEntitled(false),
                deadFenced("n3").withReport(HierarchyReport.OUT_OF_SERVICE), up("n4")));
        assertEquals(Optional.of("n4"), d.owner());
        assertEquals(Step.RESTORE, d.step("n4"));
    }

    @Test
    void nowhereEndsWithNoOwnerAndTheReasonListsEveryServersCause() {
        Decision d = PlacementPolicy.decide(input("n2",
                up("n1").failedWith(FailureKind.FAILED, DISK),
                up("n2").failedWith(FailureKind.NOT_AVAILABLE_HERE, "restore of ip-10.200.0.100: interface eth0 missing"),
                deadFenced("n3").withReport(HierarchyReport.OUT_OF_SERVICE),
                up("n4").withEntitled(false)));
        assertEquals(Optional.empty(), d.owner());
        assertEquals(8, d.generation());
        assertTrue(d.steps().values().stream().noneMatch(Step::runs));
        assertEquals(TAG + " is in service nowhere: n1 failed (" + DISK + "), n2 cannot run it here (restore of "
                + "ip-10.200.0.100: interface eth0 missing), n3 down on all 2 comm paths, "
                + "n4 not entitled (no quorum or disk lease)", d.reason());
    }

    @Test
    void nowhereStaysNowhereWithoutAnotherGeneration() {
        Decision d = PlacementPolicy.decide(input(null, up("n1").failedWith(FailureKind.FAILED, DISK),
                up("n2").failedWith(FailureKind.FAILED, DISK)));
        assertEquals(Optional.empty(), d.owner());
        assertEquals(7, d.generation());
        assertFalse(d.ownerChanged());
        assertTrue(d.reason().startsWith(TAG + " is in service nowhere: n1 failed"), d.reason());
    }

    @Test
    void aServerThatRestartedAfterAFailureBringsAHierarchyRunningNowhereBackInService() {
        Decision d = PlacementPolicy.decide(input(null, up("n1"), up("n2").failedWith(FailureKind.FAILED, DISK)));
        assertEquals(Optional.of("n1"), d.owner());
        assertEquals(8, d.generation());
        assertEquals(Step.RESTORE, d.step("n1"));
        assertEquals("bringing " + TAG + " in service on n1: the highest-priority server that can run it", d.reason());
    }

    @Test
    void atAColdStartNobodyStartsItWhileABetterServerAliveHasNotReportedYet() {
        Decision d = PlacementPolicy.decide(input(null, up("n1").withReport(HierarchyReport.UNKNOWN), up("n2")));
        assertEquals(Optional.empty(), d.owner());
        assertEquals(Step.NOTHING, d.step("n2"));
        assertEquals(TAG + " waits for n1 (a higher priority) to report its state before it is brought in service",
                d.reason());
    }

    @Test
    void misconfiguredDoesNotFailOverAndTellsTheOperatorWhatToDo() {
        Decision d = PlacementPolicy.decide(input("n1",
                up("n1").failedWith(FailureKind.MISCONFIGURED, "quickCheck: password authentication failed for user \"postgres\""),
                up("n2")));
        assertEquals(Optional.of("n1"), d.owner());
        assertEquals(7, d.generation());
        assertEquals(Map.of("n1", Step.NOTHING, "n2", Step.NOTHING), d.steps());
        assertEquals(TAG + " is not failed over: n1 misconfigured (quickCheck: password authentication failed for user "
                + "\"postgres\"); the same configuration fails on every server: fix it, then run perform_action -t "
                + TAG + " -a restore", d.reason());
    }

    @Test
    void misconfiguredFailsOverWhenConfiguredTo() {
        Decision d = PlacementPolicy.decide(input("n1", up("n1").failedWith(FailureKind.MISCONFIGURED, "bad"), up("n2"))
                .withMisconfiguredFailsOver(true));
        assertEquals(Optional.of("n2"), d.owner());
        assertEquals(Step.RESTORE, d.step("n2"));
    }

    @Test
    void ownerThatLostItsEntitlementRemovesBeforeTheBackupRestores() {
        Decision d = PlacementPolicy.decide(input("n1", running("n1").withEntitled(false), up("n2")));
        assertEquals(Optional.of("n2"), d.owner());
        assertEquals(Map.of("n1", Step.REMOVE, "n2", Step.NOTHING), d.steps());
        assertEquals("failing over " + TAG + " to n2: n1 lost its entitlement (no quorum or disk lease); "
                + "waiting for n1 to take it out of service", d.reason());
    }

    @Test
    void healthyOwnerKeepsItAndNobodyElseActs() {
        Decision d = PlacementPolicy.decide(input("n1", running("n1"), up("n2")));
        assertEquals(Map.of("n1", Step.KEEP, "n2", Step.NOTHING), d.steps());
        assertFalse(d.ownerChanged());
        assertEquals(TAG + " is in service on n1", d.reason());
    }

    @Test
    void aStaleOwnerThatWakesUpStillRunningItIsToldToRemove() {
        Decision d = PlacementPolicy.decide(input("n2", running("n1"), running("n2")));
        assertEquals(Map.of("n1", Step.REMOVE, "n2", Step.KEEP), d.steps());
    }

    @Test
    void aFreshClusterAdoptsAHierarchyAlreadyRunningRatherThanStartingItElsewhere() {
        Decision d = PlacementPolicy.decide(input(null, up("n1"), running("n2")));
        assertEquals(Optional.of("n2"), d.owner());
        assertEquals(Step.KEEP, d.step("n2"));
        assertEquals("adopting " + TAG + " on n2: it is already in service there", d.reason());
    }

    @Test
    void restoreWaitsForAServerThatHasNotReportedYet() {
        Decision d = PlacementPolicy.decide(input(null, up("n1"), up("n2").withReport(HierarchyReport.UNKNOWN)));
        assertEquals(Step.NOTHING, d.step("n1"));
        assertTrue(d.reason().endsWith("; waiting for n2 to report its state"), d.reason());
    }
}
