package dev.vigil.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Maintenance mode for every hierarchy is all or nothing: when one hierarchy fails midway (its
 * server lost its majority, or its daemon stopped, between the checks and the change), the ones
 * already changed are set back. The real daemons cannot be made to fail at that moment on
 * demand, so the setter here records the requests and fails the hierarchies it is told to;
 * {@link MaintenanceApiTest} drives the same code against real daemons.
 */
class MaintenanceAllOrNothingTest {
    private static final List<Maintenance.Step> STEPS = List.of(new Maintenance.Step("pg", "n1"),
            new Maintenance.Step("web", "n2"), new Maintenance.Step("batch", "n2"));

    /** Sets a hierarchy as asked unless it is in {@code failing} (for that direction), recording every request. */
    private record Setter(List<String> requests, Set<String> failing) {
        Maintenance.Done set(Maintenance.Step step, boolean on) {
            requests.add(step.hierarchy() + " " + (on ? "on" : "off"));
            return failing.contains(step.hierarchy() + " " + (on ? "on" : "off"))
                    ? Maintenance.Done.failed(409, "server " + step.server() + " cannot decide for the cluster now")
                    : Maintenance.Done.ok(new Maintenance.Outcome(step.hierarchy(), on, true, step.server(), "ok"));
        }
    }

    @Test
    void whenEveryHierarchyChangesAllOutcomesAreGiven() {
        Setter s = new Setter(new ArrayList<>(), Set.of());
        Maintenance.Applied a = Maintenance.applyAll(STEPS, true, s::set);
        assertNull(a.error());
        assertEquals(List.of("pg", "web", "batch"), a.done().stream().map(Maintenance.Outcome::hierarchy).toList());
        assertEquals(List.of("pg on", "web on", "batch on"), s.requests());
    }

    @Test
    void aFailureMidwaySetsTheChangedOnesBackNewestFirst() {
        Setter s = new Setter(new ArrayList<>(), Set.of("batch on"));
        Maintenance.Applied a = Maintenance.applyAll(STEPS, true, s::set);
        assertEquals(List.of("pg on", "web on", "batch on", "web off", "pg off"), s.requests());
        assertEquals(409, a.error().status());
        assertEquals(Json.error("maintenance on for hierarchy \"batch\" failed: server n2 cannot decide for the cluster "
                + "now; set back: web, pg; nothing changed"), a.error().json());
        assertEquals(List.of(), a.done());
    }

    @Test
    void aFailureAtTheFirstHierarchyChangesNothing() {
        Setter s = new Setter(new ArrayList<>(), Set.of("pg off"));
        Maintenance.Applied a = Maintenance.applyAll(STEPS, false, s::set);
        assertEquals(List.of("pg off"), s.requests());
        assertEquals(Json.error("maintenance off for hierarchy \"pg\" failed: server n1 cannot decide for the cluster "
                + "now; nothing changed"), a.error().json());
    }

    @Test
    void aHierarchyThatCannotBeSetBackIsNamedWithTheReason() {
        Setter s = new Setter(new ArrayList<>(), Set.of("batch on", "pg off"));
        Maintenance.Applied a = Maintenance.applyAll(STEPS, true, s::set);
        assertEquals(Json.error("maintenance on for hierarchy \"batch\" failed: server n2 cannot decide for the cluster "
                + "now; set back: web; NOT set back: hierarchy \"pg\" stays in maintenance mode: server n1 cannot "
                + "decide for the cluster now"), a.error().json());
    }
}
