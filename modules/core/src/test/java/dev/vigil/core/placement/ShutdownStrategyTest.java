package dev.vigil.core.placement;

import static dev.vigil.core.placement.Fixture.TAG;
import static dev.vigil.core.placement.Fixture.input;
import static dev.vigil.core.placement.Fixture.lkstop;
import static dev.vigil.core.placement.Fixture.running;
import static dev.vigil.core.placement.Fixture.up;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.core.ServerState;
import dev.vigil.core.ShutdownStrategy;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What lkstop on the owner does, by shutdown strategy and lkstop option. */
class ShutdownStrategyTest {

    @Test
    void lkstopOnASwitchoverServerMovesItToTheBackupRemovingFirst() {
        Decision d = PlacementPolicy.decide(input("n1", running("n1").withShutdown(lkstop(ShutdownStrategy.SWITCHOVER)),
                up("n2")));
        assertEquals(Optional.of("n2"), d.owner());
        assertEquals(8, d.generation());
        assertEquals(Map.of("n1", Step.REMOVE, "n2", Step.NOTHING), d.steps());
        assertEquals("switching " + TAG + " over to n2: n1 is shutting down (shutdown strategy: switchover); "
                + "waiting for n1 to take it out of service", d.reason());
    }

    @Test
    void lkstopOnADoNotSwitchoverServerTakesItOutOfServiceAndNoOneElseRestoresIt() {
        Decision d = PlacementPolicy.decide(input("n1",
                running("n1").withShutdown(lkstop(ShutdownStrategy.DO_NOT_SWITCHOVER)), up("n2")));
        assertEquals(Optional.of("n1"), d.owner());
        assertEquals(7, d.generation());
        assertEquals(Map.of("n1", Step.REMOVE, "n2", Step.NOTHING), d.steps());
        assertEquals("taking " + TAG + " out of service on n1: n1 is shutting down "
                + "(shutdown strategy: do not switchover)", d.reason());
    }

    @Test
    void aServerStoppedWithDoNotSwitchoverIsNotFailedOverOnceItIsGone() {
        ServerView gone = up("n1").withShutdown(lkstop(ShutdownStrategy.DO_NOT_SWITCHOVER)).withState(ServerState.DEAD)
                .withFenced(true);
        Decision d = PlacementPolicy.decide(input("n1", gone, up("n2")));
        assertEquals(Optional.of("n1"), d.owner());
        assertEquals(Map.of("n1", Step.NOTHING, "n2", Step.NOTHING), d.steps());
        assertEquals(TAG + " stays out of service: n1 was stopped (shutdown strategy: do not switchover)", d.reason());
    }

    @Test
    void lkstopDashNSwitchesOverEvenOnADoNotSwitchoverServer() {
        Decision d = PlacementPolicy.decide(input("n1", running("n1").withShutdown(lkstop(StopMode.SWITCHOVER)), up("n2")));
        assertEquals(Optional.of("n2"), d.owner());
        assertEquals(Step.REMOVE, d.step("n1"));
        assertEquals("switching " + TAG + " over to n2: n1 is shutting down (lkstop -n); "
                + "waiting for n1 to take it out of service", d.reason());
    }

    @Test
    void lkstopDashNRestoresOnTheBackupOnceTheStoppedOwnerReleasedItsLease() {
        ServerView gone = up("n1").withShutdown(lkstop(StopMode.SWITCHOVER)).withState(ServerState.DEAD).withFenced(true);
        Decision d = PlacementPolicy.decide(input("n2", gone, up("n2")));
        assertEquals(Step.RESTORE, d.step("n2"));
    }

    @Test
    void lkstopDashFLeavesItRunningUnprotectedWithNoDecisionToMove() {
        ServerView stopped = running("n1").withShutdown(lkstop(StopMode.LEAVE_RUNNING)).withState(ServerState.DEAD);
        Decision d = PlacementPolicy.decide(input("n1", stopped, up("n2")));
        assertEquals(Optional.of("n1"), d.owner());
        assertEquals(7, d.generation());
        assertEquals(Map.of("n1", Step.KEEP, "n2", Step.NOTHING), d.steps());
        assertEquals(TAG + " stays on n1, unprotected: n1 was stopped with lkstop -f", d.reason());
    }

    @Test
    void lkstartAfterLkstopDashFAdoptsTheRunningHierarchy() {
        Decision d = PlacementPolicy.decide(input("n1", running("n1").withRejoined(true), up("n2")));
        assertEquals(Map.of("n1", Step.KEEP, "n2", Step.NOTHING), d.steps());
        assertEquals(7, d.generation());
    }

    @Test
    void lkstartAfterADoNotSwitchoverStopBringsItBackOnTheOwner() {
        Decision d = PlacementPolicy.decide(input("n1", up("n1").withRejoined(true), up("n2")));
        assertEquals(Map.of("n1", Step.RESTORE, "n2", Step.NOTHING), d.steps());
    }

    @Test
    void switchoverShutdownWithNoBackupLeavesItNowhere() {
        Decision d = PlacementPolicy.decide(input("n1", running("n1").withShutdown(lkstop(StopMode.SWITCHOVER)),
                Fixture.deadFenced("n2")));
        assertEquals(Optional.empty(), d.owner());
        assertEquals(Map.of("n1", Step.REMOVE, "n2", Step.NOTHING), d.steps());
        assertEquals(TAG + " is in service nowhere: n1 shutting down (lkstop -n), n2 down on all 2 comm paths", d.reason());
    }

    @Test
    void aShuttingDownServerIsNeverAFailoverTarget() {
        Decision d = PlacementPolicy.decide(input("n1", Fixture.deadFenced("n1"),
                up("n2").withShutdown(lkstop(ShutdownStrategy.SWITCHOVER)), up("n3")));
        assertEquals(Optional.of("n3"), d.owner());
    }
}
