package dev.vigil.core.placement;

import static dev.vigil.core.placement.Fixture.TAG;
import static dev.vigil.core.placement.Fixture.input;
import static dev.vigil.core.placement.Fixture.running;
import static dev.vigil.core.placement.Fixture.up;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.core.Switchback;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Switchback: intelligent never moves a healthy hierarchy; automatic moves it up when a better server joins. */
class SwitchbackTest {

    @Test
    void intelligentSwitchbackLeavesItOnTheBackupWhenThePrimaryJoins() {
        Decision d = PlacementPolicy.decide(input(Switchback.INTELLIGENT, "n2", up("n1").withRejoined(true), running("n2")));
        assertEquals(Optional.of("n2"), d.owner());
        assertEquals(7, d.generation());
        assertEquals(Map.of("n1", Step.NOTHING, "n2", Step.KEEP), d.steps());
        assertEquals(TAG + " stays on n2 (intelligent switchback)", d.reason());
    }

    @Test
    void automaticSwitchbackMovesBackToThePrimaryWhenItRejoins() {
        Decision d = PlacementPolicy.decide(input(Switchback.AUTOMATIC, "n2", up("n1").withRejoined(true), running("n2")));
        assertEquals(Optional.of("n1"), d.owner());
        assertEquals(8, d.generation());
        assertEquals(Map.of("n1", Step.NOTHING, "n2", Step.REMOVE), d.steps());
        assertEquals("moving " + TAG + " back to n1 (automatic switchback); waiting for n2 to take it out of service",
                d.reason());
    }

    @Test
    void automaticSwitchbackDoesNotMoveWhenTheBetterServerDidNotRejoin() {
        Decision d = PlacementPolicy.decide(input(Switchback.AUTOMATIC, "n2", up("n1"), running("n2")));
        assertEquals(Optional.of("n2"), d.owner());
        assertEquals(Step.KEEP, d.step("n2"));
    }

    @Test
    void automaticSwitchbackNeverMovesToALowerPriorityServer() {
        Decision d = PlacementPolicy.decide(input(Switchback.AUTOMATIC, "n1", running("n1"), up("n2").withRejoined(true)));
        assertEquals(Optional.of("n1"), d.owner());
        assertEquals(TAG + " is in service on n1", d.reason());
    }

    @Test
    void automaticSwitchbackIgnoresARejoinedServerThatIsNotEntitled() {
        Decision d = PlacementPolicy.decide(input(Switchback.AUTOMATIC, "n2",
                up("n1").withRejoined(true).withEntitled(false), running("n2")));
        assertEquals(Optional.of("n2"), d.owner());
    }

    @Test
    void automaticSwitchbackPicksTheBestRejoinedServer() {
        Decision d = PlacementPolicy.decide(input(Switchback.AUTOMATIC, "n3",
                up("n1"), up("n2").withRejoined(true), running("n3")));
        assertEquals(Optional.of("n2"), d.owner());
    }

    @Test
    void automaticSwitchbackWaitsUntilTheBackupHasItInService() {
        Decision d = PlacementPolicy.decide(input(Switchback.AUTOMATIC, "n2", up("n1").withRejoined(true), up("n2")));
        assertEquals(Optional.of("n2"), d.owner());
        assertEquals(Step.RESTORE, d.step("n2"));
    }
}
