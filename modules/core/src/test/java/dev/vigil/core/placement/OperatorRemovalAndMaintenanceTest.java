package dev.vigil.core.placement;

import static dev.vigil.core.placement.Fixture.TAG;
import static dev.vigil.core.placement.Fixture.deadFenced;
import static dev.vigil.core.placement.Fixture.input;
import static dev.vigil.core.placement.Fixture.running;
import static dev.vigil.core.placement.Fixture.up;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** perform_action -a remove and maintenance mode: the cluster does not bring it back on its own. */
class OperatorRemovalAndMaintenanceTest {

    @Test
    void operatorRemovedHierarchyIsNotRestoredEvenWhenItsOwnerDies() {
        Decision d = PlacementPolicy.decide(input("n1", deadFenced("n1"), up("n2")).withOperatorRemoved(true));
        assertEquals(Optional.of("n1"), d.owner());
        assertEquals(7, d.generation());
        assertEquals(Map.of("n1", Step.NOTHING, "n2", Step.NOTHING), d.steps());
        assertEquals(TAG + " stays out of service: the operator took it out of service (perform_action -a remove)",
                d.reason());
    }

    @Test
    void operatorRestoreAfterARemoveBringsItBack() {
        Decision d = PlacementPolicy.decide(input("n1", up("n1"), up("n2")).withOperatorRemoved(true).withRequest("n1"));
        assertEquals(Step.RESTORE, d.step("n1"));
    }

    @Test
    void maintenanceModeMakesNoDecisionsAtAll() {
        Decision d = PlacementPolicy.decide(input("n1", deadFenced("n1"), running("n2")).withMaintenance(true));
        assertEquals(Optional.of("n1"), d.owner());
        assertEquals(7, d.generation());
        assertEquals(Map.of("n1", Step.NOTHING, "n2", Step.NOTHING), d.steps());
        assertEquals("no placement decisions for " + TAG + ": it is in maintenance mode", d.reason());
    }

    @Test
    void maintenanceReportedByOneServerStopsDecisionsAndRefusesSwitchover() {
        Decision d = PlacementPolicy.decide(input("n1", up("n1").withReport(HierarchyReport.MAINTENANCE), up("n2"))
                .withRequest("n2"));
        assertEquals(Optional.of("refusing to switch " + TAG + " over to n2: it is in maintenance mode on n1"),
                d.refusal());
        assertEquals(Step.NOTHING, d.step("n2"));
    }

    @Test
    void inputWithoutAViewOfAPriorityServerIsABug() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlacementInput.of(
                Fixture.hierarchy(dev.vigil.core.Switchback.INTELLIGENT, "n1", "n2"), List.of(up("n1")),
                OwnerRecord.of("n1", 1)));
        assertEquals("no view of server n2 of " + TAG, e.getMessage());
    }

    @Test
    void aFailedReportWithoutItsFailureIsABug() {
        assertThrows(IllegalArgumentException.class, () -> up("n1").withReport(HierarchyReport.FAILED));
    }
}
